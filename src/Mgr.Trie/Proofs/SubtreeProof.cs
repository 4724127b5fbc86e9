using Mgr.Trie.Building;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Proofs;

/// <summary>Subtree proofs for MGR chunks: all leaves under a nibble prefix plus the nodes on the path from
/// the root down to that prefix, verified by rebuilding the subtree from the leaves and checking that it is
/// the node the proven path holds at the prefix.</summary>
/// <remarks>
/// The path can meet the prefix three ways: a node starts exactly at the prefix (the leaves rebuild it);
/// the prefix ends inside an extension's or a leaf's path that continues it (the leaves, taken from that
/// node's depth, rebuild that node — it is the whole subtree); or the path leaves the prefix (an empty
/// slot or a diverging path: the trie has no key under the prefix, so no leaves may be sent).
/// Verification trusts nothing outside the proof and returns a verdict rather than throwing.
/// </remarks>
public static class SubtreeProof
{
    private const int KeyNibbles = 2 * Hash256.Length;

    /// <summary>The chunk under <paramref name="prefix"/> of the 32-byte-key trie <paramref name="root"/>. Reads only
    /// the nodes on the path to the prefix and below it, so a store holding just those (a syncing node's chunks, each
    /// stored with its proof and rebuilt subtree) can produce the chunk.</summary>
    /// <exception cref="TrieException">When the store lacks a node, or the trie's keys are not 32 bytes.</exception>
    public static ProvenSubtree Create(INodeStore store, Hash256 root, NibblePath prefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (prefix.Length > KeyNibbles) throw new ArgumentOutOfRangeException(nameof(prefix), "A prefix has at most 64 nibbles.");
        var leaves = new List<TrieLeaf>();
        var path = new byte[KeyNibbles];
        if (FindCovering(store, root, prefix, path) is ({ } covering, int depth)) CollectLeaves(store, covering, depth, path, leaves);
        var collector = new ProofCollector(store, root);
        collector.AddPath(prefix.Span, aboveOnly: true);
        return new ProvenSubtree(prefix, leaves, collector.Nodes);
    }

    /// <summary>Checks that <paramref name="leaves"/> are exactly the leaves under <paramref name="prefix"/>
    /// in the trie <paramref name="root"/>, using <paramref name="proof"/> for the path. <paramref name="subtreeNodes"/>,
    /// when given, receives the hashed nodes of the subtree rebuilt from the leaves, from the node the proven path
    /// reaches under the prefix down: the nodes the trie holds there (with the proof, enough for
    /// <see cref="Create"/> to produce the chunk again). It receives them before the comparison: keep them only when
    /// the result is <see cref="SubtreeProofError.None"/>.</summary>
    public static SubtreeProofError Verify(Hash256 root, NibblePath prefix, IReadOnlyList<TrieLeaf> leaves, IReadOnlyList<byte[]> proof,
                                           INodeSink? subtreeNodes = null)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentNullException.ThrowIfNull(proof);
        if (prefix.Length > KeyNibbles) return SubtreeProofError.PrefixTooLong;
        SubtreeProofError shape = CheckLeaves(prefix, leaves);
        if (shape != SubtreeProofError.None) return shape;
        if (!ProofNodeSet.TryCreate(proof, out ProofNodeSet? set)) return SubtreeProofError.ProofTooLarge;
        if (root == Hash256.EmptyTrieRoot) return leaves.Count == 0 ? SubtreeProofError.None : SubtreeProofError.SubtreeMismatch;
        try
        {
            TrieNode slot = new HashReferenceNode(root);
            int depth = 0;
            while (depth < prefix.Length)
            {
                TrieNode? node = set.Resolve(slot);
                if (node is null) return SubtreeProofError.MissingProofNode;
                ReadOnlySpan<byte> rest = prefix.Span[depth..];
                switch (node)
                {
                    case BranchNode branch:
                        if (branch.Children[rest[0]] is not { } child) return Empty(leaves);
                        slot = child;
                        depth++;
                        break;
                    case ExtensionNode extension:
                        if (extension.Path.Length <= rest.Length)
                        {
                            if (!rest.StartsWith(extension.Path.Span)) return Empty(leaves);
                            slot = extension.Child;
                            depth += extension.Path.Length;
                            break;
                        }
                        return extension.Path.Span.StartsWith(rest) ? Rebuilds(slot, depth, leaves, subtreeNodes) : Empty(leaves);
                    default:
                        var leaf = (LeafNode)node;
                        return leaf.Path.Span.StartsWith(rest) ? Rebuilds(slot, depth, leaves, subtreeNodes) : Empty(leaves);
                }
            }
            return Rebuilds(slot, depth, leaves, subtreeNodes);
        }
        catch (TrieException)
        {
            return SubtreeProofError.MalformedProofNode;
        }
    }

    /// <summary>The smallest 32-byte key under <paramref name="prefix"/> (the prefix padded with zero nibbles).</summary>
    public static Hash256 FirstKeyUnder(NibblePath prefix)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        key.Clear();
        for (int i = 0; i < prefix.Length; i++) key[i / 2] |= (byte)(prefix[i] << ((i & 1) == 0 ? 4 : 0));
        return new Hash256(key);
    }

    // Walks from the root along the prefix to the node holding every key under it (one that starts at the prefix, or an
    // extension or leaf whose path continues it), writing the nibbles walked into `path`; null when no key has the prefix.
    private static (TrieNode? Node, int Depth) FindCovering(INodeStore store, Hash256 root, NibblePath prefix, byte[] path)
    {
        if (root == Hash256.EmptyTrieRoot) return (null, 0);
        TrieNode slot = new HashReferenceNode(root);
        int depth = 0;
        while (depth < prefix.Length)
        {
            TrieNode node = Load(store, slot);
            ReadOnlySpan<byte> rest = prefix.Span[depth..];
            switch (node)
            {
                case BranchNode branch:
                    if (branch.Children[rest[0]] is not { } child) return (null, 0);
                    path[depth++] = rest[0];
                    slot = child;
                    break;
                case ExtensionNode extension when extension.Path.Length <= rest.Length:
                    if (!rest.StartsWith(extension.Path.Span)) return (null, 0);
                    extension.Path.Span.CopyTo(path.AsSpan(depth));
                    depth += extension.Path.Length;
                    slot = extension.Child;
                    break;
                case ExtensionNode extension:
                    return extension.Path.Span.StartsWith(rest) ? (node, depth) : (null, 0);
                default:
                    return ((LeafNode)node).Path.Span.StartsWith(rest) ? (node, depth) : (null, 0);
            }
        }
        return (slot, depth);
    }

    // Appends the leaves below `slot` (which starts at nibble `depth`, `path` holding the nibbles above it) in key order.
    private static void CollectLeaves(INodeStore store, TrieNode slot, int depth, byte[] path, List<TrieLeaf> leaves)
    {
        switch (Load(store, slot))
        {
            case LeafNode leaf:
                if (depth + leaf.Path.Length != KeyNibbles) throw Shape("a leaf whose key is not 32 bytes");
                leaf.Path.Span.CopyTo(path.AsSpan(depth));
                Span<byte> key = stackalloc byte[Hash256.Length];
                for (int i = 0; i < key.Length; i++) key[i] = (byte)((path[2 * i] << 4) | path[2 * i + 1]);
                leaves.Add(new TrieLeaf(new Hash256(key), leaf.Value));
                break;
            case ExtensionNode extension:
                if (depth + extension.Path.Length >= KeyNibbles) throw Shape("an extension reaching the end of a 32-byte key");
                extension.Path.Span.CopyTo(path.AsSpan(depth));
                CollectLeaves(store, extension.Child, depth + extension.Path.Length, path, leaves);
                break;
            case BranchNode branch:
                if (branch.Value is not null || depth >= KeyNibbles) throw Shape("a branch value or a branch below a 32-byte key");
                for (int child = 0; child < 16; child++)
                {
                    if (branch.Children[child] is not { } next) continue;
                    path[depth] = (byte)child;
                    CollectLeaves(store, next, depth + 1, path, leaves);
                }
                break;
        }
    }

    private static TrieNode Load(INodeStore store, TrieNode slot)
    {
        if (slot is not HashReferenceNode reference) return slot;
        if (!store.TryGet(reference.Hash, out ReadOnlyMemory<byte> rlp)) throw TrieException.Missing(reference.Hash);
        return NodeCodec.Decode(rlp.Span, reference.Hash);
    }

    private static TrieException Shape(string what) => new(TrieError.UnexpectedShape, null, $"Not a trie of 32-byte keys: {what}.");

    private static SubtreeProofError Empty(IReadOnlyList<TrieLeaf> leaves) => leaves.Count == 0 ? SubtreeProofError.None : SubtreeProofError.SubtreeMismatch;

    // Rebuilds the node at `slot` (which starts at nibble `depth`) from the leaves' key suffixes and compares
    // it with the reference the proven parent holds (the root is always compared by hash).
    private static SubtreeProofError Rebuilds(TrieNode slot, int depth, IReadOnlyList<TrieLeaf> leaves, INodeSink? sink)
    {
        var builder = new StackTrieBuilder(sink);
        Span<byte> keyBytes = stackalloc byte[Hash256.Length];
        Span<byte> nibbles = stackalloc byte[KeyNibbles];
        foreach (TrieLeaf leaf in leaves)
        {
            leaf.Key.CopyTo(keyBytes);
            NibblePath.Expand(keyBytes, nibbles);
            builder.AddNibbles(nibbles[depth..], leaf.Value.Span);
        }
        Span<byte> rebuilt = stackalloc byte[33];
        int length = builder.FinishReference(rebuilt, asRoot: depth == 0);
        return rebuilt[..length].SequenceEqual(ProofEdge.Reference(slot)) ? SubtreeProofError.None : SubtreeProofError.SubtreeMismatch;
    }

    private static SubtreeProofError CheckLeaves(NibblePath prefix, IReadOnlyList<TrieLeaf> leaves)
    {
        for (int i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Value.IsEmpty) return SubtreeProofError.EmptyValue;
            if (!HasPrefix(leaves[i].Key, prefix)) return SubtreeProofError.KeyOutsidePrefix;
            if (i == 0) continue;
            int order = leaves[i].Key.CompareTo(leaves[i - 1].Key);
            if (order == 0) return SubtreeProofError.DuplicateKey;
            if (order < 0) return SubtreeProofError.KeysNotIncreasing;
        }
        return SubtreeProofError.None;
    }

    private static bool HasPrefix(Hash256 key, NibblePath prefix)
    {
        for (int i = 0; i < prefix.Length; i++)
        {
            if (key.Nibble(i) != prefix[i]) return false;
        }
        return true;
    }
}
