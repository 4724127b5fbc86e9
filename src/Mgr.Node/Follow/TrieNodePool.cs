using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>The trie nodes of every in-memory layer, by hash, with a reference count per node: a node created by
/// several layers (same subtree on two branches) stays until the last of them is dropped or flattened. Because nodes
/// are content-addressed, a lookup may return a node another branch created: it is the same node.</summary>
/// <remarks>Not thread-safe: owned by <see cref="LayerTree"/>.</remarks>
public sealed class TrieNodePool
{
    private readonly Dictionary<Hash256, Entry> _nodes = [];

    /// <summary>Distinct nodes held.</summary>
    public int Count => _nodes.Count;

    /// <summary>The node's RLP, or false when no layer holds it.</summary>
    public bool TryGet(Hash256 hash, out byte[] rlp)
    {
        if (_nodes.TryGetValue(hash, out Entry? entry))
        {
            rlp = entry.Rlp;
            return true;
        }
        rlp = [];
        return false;
    }

    /// <summary>Adds one reference to every node of <paramref name="writes"/>.</summary>
    public void Add(LayerWrites writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach ((Hash256 hash, byte[] rlp) in writes.Nodes)
        {
            if (_nodes.TryGetValue(hash, out Entry? entry)) entry.References++;
            else _nodes.Add(hash, new Entry(rlp));
        }
    }

    /// <summary>Removes one reference from every node of <paramref name="writes"/>, dropping nodes no layer holds.</summary>
    public void Release(LayerWrites writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (Hash256 hash in writes.Nodes.Keys)
        {
            if (_nodes.TryGetValue(hash, out Entry? entry) && --entry.References == 0) _nodes.Remove(hash);
        }
    }

    private sealed class Entry(byte[] rlp)
    {
        public byte[] Rlp { get; } = rlp;

        public int References { get; set; } = 1;
    }
}
