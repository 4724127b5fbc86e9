using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Proofs;

/// <summary>A random trie with 32-byte keys in a memory store, with its sorted leaves.</summary>
internal sealed class TestTrie
{
    public TestTrie(IEnumerable<TrieLeaf> leaves)
    {
        Leaves = leaves.OrderBy(l => l.Key).ToList();
        var builder = new StackTrieBuilder(Store);
        foreach (var leaf in Leaves) builder.Add(leaf.Key, leaf.Value.Span);
        Root = builder.Finish();
    }

    public MemoryNodeStore Store { get; } = new();
    public Hash256 Root { get; }
    public List<TrieLeaf> Leaves { get; }

    public static TestTrie Random(Random random, int count, bool withEdges = false)
    {
        var leaves = Building.StackTrieBuilderTests.RandomLeaves(random, count);
        if (withEdges)
        {
            leaves.RemoveAll(l => l.Key == Hash256.Zero || l.Key == Hash256.MaxValue);
            leaves.Add(new TrieLeaf(Hash256.Zero, new byte[] { 1, 2, 3 }));
            leaves.Add(new TrieLeaf(Hash256.MaxValue, new byte[] { 4, 5, 6 }));
        }
        return new TestTrie(leaves);
    }

    public static Hash256 RandomKey(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
