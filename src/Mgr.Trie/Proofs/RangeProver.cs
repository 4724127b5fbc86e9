using Mgr.Trie.Enumeration;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Proofs;

/// <summary>Serves snap/1-style ranges from a trie with 32-byte keys: leaves from <c>origin</c> on, up to and
/// including the first key ≥ <c>limit</c> or until a count or byte budget is reached (at least one leaf when
/// any exists), with the proof of the origin (present or absent) and of the last leaf.</summary>
/// <remarks>Reads the store only; a missing node ends in <see cref="TrieException"/>.</remarks>
public static class RangeProver
{
    /// <summary>Builds the response for (origin, limit). With <paramref name="omitProofForWholeTrie"/>, a
    /// range that starts at zero and reaches the last leaf comes without a proof, as snap/1 allows.</summary>
    public static RangeProof Create(INodeStore store, Hash256 root, Hash256 origin, Hash256 limit, int maxLeaves,
        long maxValueBytes = long.MaxValue, bool omitProofForWholeTrie = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLeaves, 1);
        var leaves = new List<TrieLeaf>();
        var cursor = new LeafCursor(store, root, origin);
        long bytes = 0;
        bool reachedEnd = false;
        while (leaves.Count < maxLeaves && bytes < maxValueBytes && (leaves.Count == 0 || leaves[^1].Key < limit))
        {
            if (!TryNextInLap(cursor, origin, leaves, out TrieLeaf leaf))
            {
                reachedEnd = true;
                break;
            }
            leaves.Add(leaf);
            bytes += leaf.Value.Length + Hash256.Length;
        }
        if (!reachedEnd) reachedEnd = !TryNextInLap(cursor, origin, leaves, out _);
        if (omitProofForWholeTrie && origin == Hash256.Zero && reachedEnd) return new RangeProof(leaves, null);

        var collector = new ProofCollector(store, root);
        collector.AddPath(Nibbles(origin));
        if (leaves.Count > 0) collector.AddPath(Nibbles(leaves[^1].Key));
        return new RangeProof(leaves, collector.Nodes);
    }

    // The cursor wraps around; a key at or below the last one (or below the origin) means the lap ended.
    private static bool TryNextInLap(LeafCursor cursor, Hash256 origin, List<TrieLeaf> leaves, out TrieLeaf leaf) =>
        cursor.TryNext(out leaf) && leaf.Key >= origin && (leaves.Count == 0 || leaf.Key > leaves[^1].Key);

    private static byte[] Nibbles(Hash256 key) => NibblePath.FromBytes(key.ToArray()).Span.ToArray();
}
