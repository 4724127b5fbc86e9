using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Proofs;

public sealed class MerkleProofTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 500)]
    public void Proves_every_present_key_with_its_value(int seed, int count)
    {
        var trie = TestTrie.Random(new Random(seed), count);

        foreach (var leaf in trie.Leaves)
        {
            var proof = MerkleProof.Create(trie.Store, trie.Root, leaf.Key.ToArray());
            var result = MerkleProof.Verify(trie.Root, leaf.Key.ToArray(), proof);

            Assert.True(result.Exists);
            Assert.Equal(leaf.Value.ToArray(), result.Value);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 300)]
    public void Proves_absent_keys_absent(int seed, int count)
    {
        var random = new Random(seed);
        var trie = TestTrie.Random(random, count);

        for (int i = 0; i < 200; i++)
        {
            Hash256 key = TestTrie.RandomKey(random);
            var result = MerkleProof.Verify(trie.Root, key.ToArray(), MerkleProof.Create(trie.Store, trie.Root, key.ToArray()));

            Assert.True(result.IsValid);
            Assert.False(result.Exists);
        }
    }

    [Fact]
    public void Proves_values_of_a_plain_trie_with_keys_of_different_lengths()
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        foreach (string word in new[] { "do", "dog", "doge", "horse", "d" }) trie.Set(Bytes(word), Bytes(word + "!"));
        Hash256 root = trie.Commit();

        foreach (string word in new[] { "do", "dog", "doge", "horse", "d" })
            Assert.Equal(Bytes(word + "!"), MerkleProof.Verify(root, Bytes(word), MerkleProof.Create(store, root, Bytes(word))).Value);
        Assert.False(MerkleProof.Verify(root, Bytes("dogs"), MerkleProof.Create(store, root, Bytes("dogs"))).Exists);
    }

    [Fact]
    public void Rejects_a_proof_missing_a_node()
    {
        var trie = TestTrie.Random(new Random(5), 400);
        byte[] key = trie.Leaves[17].Key.ToArray();
        var proof = MerkleProof.Create(trie.Store, trie.Root, key).ToList();

        for (int i = 0; i < proof.Count; i++)
        {
            var partial = proof.Where((_, j) => j != i).ToList();
            Assert.Equal(MerkleProofError.MissingProofNode, MerkleProof.Verify(trie.Root, key, partial).Error);
        }
    }

    [Fact]
    public void Rejects_a_tampered_value_because_its_node_no_longer_hashes_into_the_path()
    {
        var trie = TestTrie.Random(new Random(6), 100);
        byte[] key = trie.Leaves[3].Key.ToArray();
        var proof = MerkleProof.Create(trie.Store, trie.Root, key).Select(n => n.ToArray()).ToList();
        proof[^1][^1] ^= 1;

        Assert.Equal(MerkleProofError.MissingProofNode, MerkleProof.Verify(trie.Root, key, proof).Error);
    }

    [Fact]
    public void Rejects_a_node_that_is_not_a_trie_node()
    {
        byte[] garbage = [0xc3, 0x01, 0x02, 0x03];

        var result = MerkleProof.Verify(Keccak256.Compute(garbage), [1], [garbage]);

        Assert.Equal(MerkleProofError.MalformedProofNode, result.Error);
    }

    [Fact]
    public void Accepts_an_unrelated_extra_node_and_any_order()
    {
        var trie = TestTrie.Random(new Random(8), 300);
        byte[] key = trie.Leaves[9].Key.ToArray();
        var proof = MerkleProof.Create(trie.Store, trie.Root, key).Reverse().Append(new byte[] { 0xc2, 0x80, 0x80 }).ToList();

        Assert.True(MerkleProof.Verify(trie.Root, key, proof).Exists);
    }

    [Fact]
    public void Rejects_an_oversized_proof()
    {
        var proof = Enumerable.Range(0, ProofNodeSet.MaxNodes + 1).Select(i => new byte[] { 0xc1, (byte)(i & 0x7f) }).ToList();

        Assert.Equal(MerkleProofError.ProofTooLarge, MerkleProof.Verify(Hash256.Zero, [1], proof).Error);
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
