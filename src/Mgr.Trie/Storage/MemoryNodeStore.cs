using Mgr.Trie.Primitives;

namespace Mgr.Trie.Storage;

/// <summary>An in-memory <see cref="INodeStore"/> for tests, tools and proof serving over small tries.
/// Not thread-safe for concurrent writes; concurrent reads without writers are fine.</summary>
public sealed class MemoryNodeStore : INodeStore
{
    private readonly Dictionary<Hash256, byte[]> _nodes = [];

    /// <summary>Number of distinct nodes held.</summary>
    public int Count => _nodes.Count;

    /// <summary>Total RLP bytes held.</summary>
    public long TotalBytes { get; private set; }

    public void Put(Hash256 hash, ReadOnlySpan<byte> rlp)
    {
        if (_nodes.ContainsKey(hash)) return;
        _nodes[hash] = rlp.ToArray();
        TotalBytes += rlp.Length;
    }

    public bool TryGet(Hash256 hash, out ReadOnlyMemory<byte> rlp)
    {
        if (_nodes.TryGetValue(hash, out byte[]? bytes))
        {
            rlp = bytes;
            return true;
        }
        rlp = default;
        return false;
    }

    /// <summary>Removes a node (to simulate a store with holes in tests).</summary>
    public bool Remove(Hash256 hash)
    {
        if (!_nodes.Remove(hash, out byte[]? bytes)) return false;
        TotalBytes -= bytes.Length;
        return true;
    }

    /// <summary>The hashes held, in no particular order.</summary>
    public IEnumerable<Hash256> Hashes => _nodes.Keys;
}
