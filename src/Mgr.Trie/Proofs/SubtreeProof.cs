using Mgr.Trie.Building;
using Mgr.Trie.Enumeration;
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

    /// <summary>The chunk under <paramref name="prefix"/> of the 32-byte-key trie <paramref name="root"/>.</summary>
    /// <exception cref="TrieException">When the store lacks a node.</exception>
    public static ProvenSubtree Create(INodeStore store, Hash256 root, NibblePath prefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (prefix.Length > KeyNibbles) throw new ArgumentOutOfRangeException(nameof(prefix), "A prefix has at most 64 nibbles.");
        var leaves = new List<TrieLeaf>();
        var cursor = new LeafCursor(store, root, FirstKeyUnder(prefix));
        while (cursor.TryNext(out TrieLeaf leaf) && HasPrefix(leaf.Key, prefix) && (leaves.Count == 0 || leaf.Key > leaves[^1].Key))
            leaves.Add(leaf);
        var collector = new ProofCollector(store, root);
        collector.AddPath(prefix.Span, aboveOnly: true);
        return new ProvenSubtree(prefix, leaves, collector.Nodes);
    }

    /// <summary>Checks that <paramref name="leaves"/> are exactly the leaves under <paramref name="prefix"/>
    /// in the trie <paramref name="root"/>, using <paramref name="proof"/> for the path.</summary>
    public static SubtreeProofError Verify(Hash256 root, NibblePath prefix, IReadOnlyList<TrieLeaf> leaves, IReadOnlyList<byte[]> proof)
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
                        return extension.Path.Span.StartsWith(rest) ? Rebuilds(slot, depth, leaves) : Empty(leaves);
                    default:
                        var leaf = (LeafNode)node;
                        return leaf.Path.Span.StartsWith(rest) ? Rebuilds(slot, depth, leaves) : Empty(leaves);
                }
            }
            return Rebuilds(slot, depth, leaves);
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

    private static SubtreeProofError Empty(IReadOnlyList<TrieLeaf> leaves) => leaves.Count == 0 ? SubtreeProofError.None : SubtreeProofError.SubtreeMismatch;

    // Rebuilds the node at `slot` (which starts at nibble `depth`) from the leaves' key suffixes and compares
    // it with the reference the proven parent holds (the root is always compared by hash).
    private static SubtreeProofError Rebuilds(TrieNode slot, int depth, IReadOnlyList<TrieLeaf> leaves)
    {
        var builder = new StackTrieBuilder();
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
