using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Tries;

public sealed class PatriciaTrieTests
{
    public static IEnumerable<object[]> PlainCases() => TrieVectors.Cases("trietest.json").Concat(TrieVectors.Cases("trieanyorder.json"));

    public static IEnumerable<object[]> SecureCases() =>
        TrieVectors.Cases("trietest_secureTrie.json").Concat(TrieVectors.Cases("trieanyorder_secureTrie.json"))
            .Concat(TrieVectors.Cases("hex_encoded_securetrie_test.json"));

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void Root_matches_the_ethereum_tests_vector(string file, string name)
    {
        var testCase = TrieVectors.Case(file, name);
        var trie = new PatriciaTrie(new MemoryNodeStore());

        foreach (var (key, value) in TrieVectors.Inputs(testCase))
        {
            if (value is null) trie.Delete(key);
            else trie.Set(key, value);
        }

        Assert.Equal(Hash256.Parse(testCase.GetProperty("root").GetString()!), trie.RootHash);
    }

    [Theory]
    [MemberData(nameof(SecureCases))]
    public void Secure_root_matches_the_ethereum_tests_vector(string file, string name)
    {
        var testCase = TrieVectors.Case(file, name);
        var trie = new SecureTrie(new MemoryNodeStore());

        foreach (var (key, value) in TrieVectors.Inputs(testCase))
        {
            if (value is null) trie.Delete(key);
            else trie.Set(key, value);
        }

        Assert.Equal(Hash256.Parse(testCase.GetProperty("root").GetString()!), trie.RootHash);
    }

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void Committed_trie_reopens_from_the_store_with_every_value(string file, string name)
    {
        var testCase = TrieVectors.Case(file, name);
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        var expected = new Dictionary<string, byte[]>();
        foreach (var (key, value) in TrieVectors.Inputs(testCase))
        {
            if (value is null or { Length: 0 }) { trie.Delete(key); expected.Remove(Convert.ToHexString(key)); }
            else { trie.Set(key, value); expected[Convert.ToHexString(key)] = value; }
        }

        Hash256 root = trie.Commit();
        var reopened = new PatriciaTrie(store, root);

        Assert.Equal(root, reopened.RootHash);
        foreach (var (key, value) in expected) Assert.Equal(value, reopened.Get(Convert.FromHexString(key)));
    }

    public static IEnumerable<object[]> NextPreviousCases()
    {
        var testCase = TrieVectors.Case("trietestnextprev.json", "basic");
        foreach (var row in testCase.GetProperty("tests").EnumerateArray())
            yield return [row[0].GetString()!, row[1].GetString()!, row[2].GetString()!];
    }

    [Theory]
    [MemberData(nameof(NextPreviousCases))]
    public void Next_and_previous_keys_match_the_ethereum_tests_vector(string key, string previous, string next)
    {
        var trie = new PatriciaTrie(new MemoryNodeStore());
        foreach (var item in TrieVectors.Case("trietestnextprev.json", "basic").GetProperty("in").EnumerateArray())
            trie.Set(TrieVectors.Bytes(item.GetString()!), TrieVectors.Bytes(item.GetString()!));
        byte[] probe = TrieVectors.Bytes(key);

        string foundPrevious = trie.TryGetPrevious(probe, out TrieEntry before) ? System.Text.Encoding.UTF8.GetString(before.Key) : "";
        string foundNext = trie.TryGetNext(probe, out TrieEntry after) ? System.Text.Encoding.UTF8.GetString(after.Key) : "";

        Assert.Equal(previous, foundPrevious);
        Assert.Equal(next, foundNext);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Deleting_every_key_in_random_order_returns_to_the_empty_root(int seed)
    {
        var random = new Random(seed);
        var trie = new PatriciaTrie(new MemoryNodeStore());
        var keys = Enumerable.Range(0, 300).Select(_ => { var k = new byte[random.Next(1, 6)]; random.NextBytes(k); return k; })
            .DistinctBy(Convert.ToHexString).ToList();
        foreach (byte[] key in keys) trie.Set(key, [1, .. key]);
        Hash256 full = trie.RootHash;

        foreach (byte[] key in keys.OrderBy(_ => random.Next())) Assert.True(trie.Delete(key));

        Assert.NotEqual(Hash256.EmptyTrieRoot, full);
        Assert.Equal(Hash256.EmptyTrieRoot, trie.RootHash);
    }

    [Fact]
    public void Reading_a_root_whose_node_is_missing_throws_a_typed_error()
    {
        var trie = new PatriciaTrie(new MemoryNodeStore(), Keccak.Of("absent"));

        var error = Assert.Throws<Mgr.Trie.Nodes.TrieException>(() => trie.Get([1, 2]));

        Assert.Equal(Mgr.Trie.Nodes.TrieError.MissingNode, error.Reason);
    }

    private static class Keccak
    {
        public static Hash256 Of(string text) => Mgr.Trie.Crypto.Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
