using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

namespace Mgr.Bench.Trie;

/// <summary>The benchmark leaf set: distinct random 32-byte keys in ascending order with 70-byte random values,
/// from <c>new Random(1_000_000)</c> (the same generator as <see cref="EthereumjsComparison"/>, so roots agree).
/// <c>MGR_BENCH_LEAVES</c> overrides the count.</summary>
public static class TrieBenchLeaves
{
    /// <summary>The leaf count: <c>MGR_BENCH_LEAVES</c> or <paramref name="defaultCount"/>.</summary>
    public static int Count(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("MGR_BENCH_LEAVES"), out int n) && n > 0 ? n : defaultCount;

    /// <summary>Generates <paramref name="count"/> leaves, sorted by key.</summary>
    public static TrieLeaf[] Generate(int count)
    {
        var random = new Random(1_000_000);
        var keys = new HashSet<Hash256>();
        var key = new byte[32];
        while (keys.Count < count)
        {
            random.NextBytes(key);
            keys.Add(new Hash256(key));
        }
        var leaves = new TrieLeaf[count];
        int i = 0;
        foreach (Hash256 k in keys.Order())
        {
            var value = new byte[70];
            random.NextBytes(value);
            leaves[i++] = new TrieLeaf(k, value);
        }
        return leaves;
    }
}
