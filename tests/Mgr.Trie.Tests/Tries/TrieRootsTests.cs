using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Tries;

public sealed class TrieRootsTests
{
    [Fact]
    public void Root_of_an_unsorted_set_matches_the_vector()
    {
        var entries = new Dictionary<string, string> { ["horse"] = "stallion", ["doge"] = "coin", ["do"] = "verb", ["dog"] = "puppy" }
            .Select(p => KeyValuePair.Create(Bytes(p.Key), Bytes(p.Value)));

        Assert.Equal(Hash256.Parse("0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84"), TrieRoots.Compute(entries));
    }

    [Fact]
    public void Secure_root_equals_the_secure_trie_root_and_the_sink_receives_its_nodes()
    {
        var random = new Random(3);
        var entries = Enumerable.Range(0, 200).Select(i => KeyValuePair.Create(BitConverter.GetBytes(i), new byte[] { (byte)random.Next(1, 255), 7 })).ToList();
        var expected = new SecureTrie(new MemoryNodeStore());
        foreach (var (key, value) in entries) expected.Set(key, value);
        var sink = new MemoryNodeStore();

        Hash256 root = TrieRoots.ComputeSecure(entries, sink);

        Assert.Equal(expected.RootHash, root);
        Assert.Equal(entries[5].Value, new SecureTrie(sink, root).Get(entries[5].Key));
    }

    [Fact]
    public void Rejects_a_duplicate_key()
    {
        var entries = new[] { KeyValuePair.Create(new byte[] { 1 }, new byte[] { 1 }), KeyValuePair.Create(new byte[] { 1 }, new byte[] { 2 }) };

        Assert.Equal(TrieBuildError.DuplicateKey, Assert.Throws<TrieBuildException>(() => TrieRoots.Compute(entries)).Reason);
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
