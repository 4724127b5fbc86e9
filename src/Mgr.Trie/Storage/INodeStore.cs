using Mgr.Trie.Primitives;

namespace Mgr.Trie.Storage;

/// <summary>A hash-keyed store of trie nodes: what a trie reads its nodes from and writes them to.
/// Several roots can be read from one store at once, since nodes are shared by hash (see spec/trie.md).</summary>
public interface INodeStore : INodeSink
{
    /// <summary>The RLP of the node whose Keccak-256 is <paramref name="hash"/>; false when absent.
    /// The returned memory must not be modified by the caller.</summary>
    bool TryGet(Hash256 hash, out ReadOnlyMemory<byte> rlp);
}
