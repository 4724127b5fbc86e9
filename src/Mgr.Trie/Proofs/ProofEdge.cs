using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Proofs;

/// <summary>Walks a proof from the root along one 32-byte key's path and collects the subtrees hanging off
/// that path on one side (left: keys below the path, right: keys above it), each as the reference its
/// parent holds. Those subtrees plus the leaves in between must hash back to the root.</summary>
internal static class ProofEdge
{
    /// <summary>A proven subtree outside the range: its nibble path and the reference its parent holds.</summary>
    internal readonly record struct Subtree(NibblePath Path, byte[] Reference);

    /// <summary>Adds the subtrees on <paramref name="leftSide"/> of <paramref name="key"/>'s path to
    /// <paramref name="subtrees"/> (in key order for the left side, top-down for the right).
    /// Throws <see cref="TrieException"/> for a malformed node.</summary>
    public static RangeProofError Collect(ProofNodeSet proof, Hash256 root, Hash256 key, bool leftSide, List<Subtree> subtrees)
    {
        Span<byte> keyBytes = stackalloc byte[Hash256.Length];
        key.CopyTo(keyBytes);
        Span<byte> path = stackalloc byte[2 * Hash256.Length];
        NibblePath.Expand(keyBytes, path);

        TrieNode slot = new HashReferenceNode(root);
        int depth = 0;
        while (true)
        {
            TrieNode? node = proof.Resolve(slot);
            if (node is null) return RangeProofError.MissingProofNode;
            switch (node)
            {
                case BranchNode branch:
                {
                    if (depth >= path.Length) return RangeProofError.RootMismatch;
                    int nibble = path[depth];
                    for (int i = leftSide ? 0 : nibble + 1; i < (leftSide ? nibble : 16); i++)
                    {
                        if (branch.Children[i] is { } child) subtrees.Add(new Subtree(Prefix(path, depth, i), Reference(child)));
                    }
                    if (branch.Children[nibble] is not { } next) return RangeProofError.None;
                    slot = next;
                    depth++;
                    break;
                }
                case ExtensionNode extension:
                {
                    int order = Compare(extension.Path.Span, path[depth..]);
                    if (order == 0)
                    {
                        if (depth + extension.Path.Length >= path.Length) return RangeProofError.RootMismatch;
                        slot = extension.Child;
                        depth += extension.Path.Length;
                        break;
                    }
                    if (leftSide ? order < 0 : order > 0) subtrees.Add(new Subtree(NibblePath.FromTrusted(path[..depth]), Reference(slot)));
                    return RangeProofError.None;
                }
                default:
                {
                    var leaf = (LeafNode)node;
                    int order = Compare(leaf.Path.Span, path[depth..]);
                    if (leftSide ? order < 0 : order > 0) subtrees.Add(new Subtree(NibblePath.FromTrusted(path[..depth]), Reference(slot)));
                    return RangeProofError.None;
                }
            }
        }
    }

    /// <summary>The bytes a parent holds for <paramref name="child"/>: 0xa0 and the hash, or the embedded RLP.</summary>
    public static byte[] Reference(TrieNode child)
    {
        if (child is not HashReferenceNode) return child.Rlp;
        var reference = new byte[33];
        reference[0] = 0x80 + 32;
        child.Hash.CopyTo(reference.AsSpan(1));
        return reference;
    }

    // Orders a node's path segment against the key's remaining nibbles, over the segment's length
    // (0 when the segment is a prefix of the rest of the key).
    private static int Compare(ReadOnlySpan<byte> segment, ReadOnlySpan<byte> rest)
    {
        int length = Math.Min(segment.Length, rest.Length);
        int order = segment[..length].SequenceCompareTo(rest[..length]);
        if (order != 0) return Math.Sign(order);
        return segment.Length > rest.Length ? 1 : 0;
    }

    private static NibblePath Prefix(ReadOnlySpan<byte> path, int depth, int nibble)
    {
        Span<byte> prefix = stackalloc byte[depth + 1];
        path[..depth].CopyTo(prefix);
        prefix[depth] = (byte)nibble;
        return NibblePath.FromTrusted(prefix);
    }
}
