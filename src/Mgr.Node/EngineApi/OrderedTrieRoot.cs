using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.EngineApi;

/// <summary>The root of a list committed as a trie keyed by RLP(index): how a header commits to its
/// transactions and withdrawals (Yellow Paper §4.3).</summary>
public static class OrderedTrieRoot
{
    /// <summary>Root of the trie mapping RLP(i) to <paramref name="items"/>[i] (the empty-trie root for none).</summary>
    public static Hash256 Compute(IReadOnlyList<ReadOnlyMemory<byte>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) return Hash256.EmptyTrieRoot;
        var trie = new PatriciaTrie(new MemoryNodeStore());
        Span<byte> key = stackalloc byte[9];
        for (int i = 0; i < items.Count; i++)
        {
            var writer = new RlpWriter(key);
            writer.Write((ulong)i);
            trie.Set(key[..writer.Written], items[i].Span);
        }
        return trie.Commit();
    }
}
