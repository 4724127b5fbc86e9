using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Proofs;

/// <summary>Single-key Merkle proofs: the stored nodes on a key's path from the root, proving either its
/// value (inclusion) or that it is absent (exclusion).</summary>
/// <remarks>Wire form: an RLP list of the node RLPs (spec/trie.md); verification treats them as a
/// <see cref="ProofNodeSet"/>, trusts nothing else, and returns a verdict rather than throwing.</remarks>
public static class MerkleProof
{
    /// <summary>The proof for <paramref name="key"/> (a plain key; hash it first for a secure trie).</summary>
    /// <exception cref="TrieException">When the store lacks a node on the path.</exception>
    public static IReadOnlyList<byte[]> Create(INodeStore store, Hash256 root, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(store);
        var collector = new ProofCollector(store, root);
        collector.AddPath(NibblePath.FromBytes(key).Span);
        return collector.Nodes;
    }

    /// <summary>Checks <paramref name="proof"/> for <paramref name="key"/> against <paramref name="root"/>.</summary>
    public static MerkleProofResult Verify(Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (!ProofNodeSet.TryCreate(proof, out ProofNodeSet? set)) return new MerkleProofResult(MerkleProofError.ProofTooLarge, null);
        if (root == Hash256.EmptyTrieRoot) return new MerkleProofResult(MerkleProofError.None, null);
        ReadOnlySpan<byte> path = NibblePath.FromBytes(key).Span;
        TrieNode? slot = new HashReferenceNode(root);
        try
        {
            while (slot is not null)
            {
                TrieNode? node = set.Resolve(slot);
                if (node is null) return new MerkleProofResult(MerkleProofError.MissingProofNode, null);
                switch (node)
                {
                    case LeafNode leaf:
                        return new MerkleProofResult(MerkleProofError.None, path.SequenceEqual(leaf.Path.Span) ? leaf.Value : null);
                    case ExtensionNode extension:
                        if (!path.StartsWith(extension.Path.Span)) return new MerkleProofResult(MerkleProofError.None, null);
                        path = path[extension.Path.Length..];
                        slot = extension.Child;
                        break;
                    default:
                        var branch = (BranchNode)node;
                        if (path.IsEmpty) return new MerkleProofResult(MerkleProofError.None, branch.Value);
                        slot = branch.Children[path[0]];
                        path = path[1..];
                        break;
                }
            }
            return new MerkleProofResult(MerkleProofError.None, null);
        }
        catch (TrieException)
        {
            return new MerkleProofResult(MerkleProofError.MalformedProofNode, null);
        }
    }
}
