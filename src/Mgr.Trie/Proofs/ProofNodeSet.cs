using Mgr.Trie.Crypto;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Proofs;

/// <summary>The nodes of a proof as a set keyed by their own Keccak-256: order does not matter, duplicates
/// and unrelated extra nodes are harmless, and the size is bounded.</summary>
/// <remarks>Hashes are computed here, so a node found by hash is authentic. The set keeps references to the
/// given memory: do not change it while the set is in use.</remarks>
public sealed class ProofNodeSet
{
    /// <summary>Most nodes accepted: two 65-node paths (root to a 32-byte key's leaf) with ample room for
    /// harmless extras; a real snap proof has fewer than 20.</summary>
    public const int MaxNodes = 256;

    /// <summary>Most bytes accepted: <see cref="MaxNodes"/> full branch nodes (532 bytes each) round up to this.</summary>
    public const int MaxTotalBytes = 256 * 1024;

    private readonly Dictionary<Hash256, ReadOnlyMemory<byte>> _nodes;

    private ProofNodeSet(Dictionary<Hash256, ReadOnlyMemory<byte>> nodes) => _nodes = nodes;

    /// <summary>Distinct nodes in the set.</summary>
    public int Count => _nodes.Count;

    /// <summary>Builds the set; false when there are more than <see cref="MaxNodes"/> nodes or
    /// <see cref="MaxTotalBytes"/> bytes.</summary>
    public static bool TryCreate(IEnumerable<ReadOnlyMemory<byte>> nodes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProofNodeSet? set)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        set = null;
        var map = new Dictionary<Hash256, ReadOnlyMemory<byte>>();
        int count = 0;
        long bytes = 0;
        foreach (ReadOnlyMemory<byte> node in nodes)
        {
            bytes += node.Length;
            if (++count > MaxNodes || bytes > MaxTotalBytes) return false;
            map.TryAdd(Keccak256.Compute(node.Span), node);
        }
        set = new ProofNodeSet(map);
        return true;
    }

    /// <summary>Builds the set from arrays; see <see cref="TryCreate(IEnumerable{ReadOnlyMemory{byte}}, out ProofNodeSet?)"/>.</summary>
    public static bool TryCreate(IEnumerable<byte[]> nodes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProofNodeSet? set) =>
        TryCreate(nodes.Select(n => (ReadOnlyMemory<byte>)n), out set);

    /// <summary>The node with this hash; false when absent.</summary>
    public bool TryGet(Hash256 hash, out ReadOnlyMemory<byte> rlp) => _nodes.TryGetValue(hash, out rlp);

    /// <summary>Resolves a hash reference from the set (other nodes are returned as they are); null when the
    /// node is absent. Throws <see cref="TrieException"/> (MalformedNode) for a node that does not decode.</summary>
    internal TrieNode? Resolve(TrieNode node)
    {
        if (node is not HashReferenceNode reference) return node;
        return _nodes.TryGetValue(reference.Hash, out ReadOnlyMemory<byte> rlp) ? NodeCodec.Decode(rlp.Span, reference.Hash) : null;
    }
}
