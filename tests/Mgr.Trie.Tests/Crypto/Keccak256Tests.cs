using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Org.BouncyCastle.Crypto.Digests;

namespace Mgr.Trie.Tests.Crypto;

public class Keccak256Tests
{
    [Fact]
    public void Hash_of_the_empty_input_is_the_known_empty_keccak()
    {
        Assert.Equal(Hash256.EmptyKeccak, Keccak256.Compute([]));
    }

    [Fact]
    public void One_shot_hash_matches_bouncy_castle_at_every_length_up_to_1100()
    {
        var random = new Random(1);
        var input = new byte[1100];
        random.NextBytes(input);
        var expected = new byte[32];
        var actual = new byte[32];
        for (int length = 0; length <= input.Length; length++)
        {
            var reference = new KeccakDigest(256);
            reference.BlockUpdate(input, 0, length);
            reference.DoFinal(expected, 0);

            Keccak256.Hash(input.AsSpan(0, length), actual);

            Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}");
        }
    }
}
