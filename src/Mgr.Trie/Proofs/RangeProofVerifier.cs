using Mgr.Trie.Building;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Proofs;

/// <summary>Verifies a snap/1-style range proof: the leaves from <c>origin</c> up to the last returned key,
/// with the proof nodes for the origin's path and the last key's path.</summary>
/// <remarks>
/// The proven subtrees left of the origin and right of the last key, plus the returned leaves, are fed in
/// key order to a <see cref="StackTrieBuilder"/>; the proof is accepted only when that rebuilds the root.
/// So any missing, extra or modified leaf changes the root, and nothing outside the proof is trusted.
/// Without a proof the leaves must be the whole trie. Leaves must have non-empty values and strictly
/// increasing keys. Verdicts are values; bad input never throws. Thread-safe (per-thread builder).
/// </remarks>
public static class RangeProofVerifier
{
    [ThreadStatic]
    private static StackTrieBuilder? t_builder;

    /// <summary>Verifies <paramref name="leaves"/> against <paramref name="root"/>; <paramref name="proof"/>
    /// null means no proof was sent (the leaves must then be the whole trie and the origin is ignored).</summary>
    public static RangeProofResult Verify(Hash256 root, Hash256 origin, IReadOnlyList<TrieLeaf> leaves, IReadOnlyList<byte[]>? proof)
    {
        if (proof is null) return VerifyWithNodeSet(root, origin, leaves, null);
        return ProofNodeSet.TryCreate(proof, out ProofNodeSet? set)
            ? VerifyWithNodeSet(root, origin, leaves, set)
            : RangeProofResult.Invalid(RangeProofError.ProofTooLarge);
    }

    /// <summary>Verifies <paramref name="leaves"/> against <paramref name="root"/> with a prepared node set
    /// (null: no proof, the leaves must be the whole trie).</summary>
    public static RangeProofResult VerifyWithNodeSet(Hash256 root, Hash256 origin, IReadOnlyList<TrieLeaf> leaves, ProofNodeSet? proof)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        RangeProofError shape = CheckLeaves(leaves);
        if (shape != RangeProofError.None) return RangeProofResult.Invalid(shape);
        StackTrieBuilder builder = t_builder ??= new StackTrieBuilder();
        try
        {
            if (proof is null)
            {
                foreach (TrieLeaf leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);
                return builder.Finish() == root ? RangeProofResult.Valid(hasMore: false) : RangeProofResult.Invalid(RangeProofError.RootMismatch);
            }
            if (leaves.Count > 0 && leaves[0].Key < origin) return RangeProofResult.Invalid(RangeProofError.KeyBeforeOrigin);
            if (root == Hash256.EmptyTrieRoot)
                return leaves.Count == 0 ? RangeProofResult.Valid(hasMore: false) : RangeProofResult.Invalid(RangeProofError.RootMismatch);

            var left = new List<ProofEdge.Subtree>();
            RangeProofError error = ProofEdge.Collect(proof, root, origin, leftSide: true, left);
            if (error != RangeProofError.None) return RangeProofResult.Invalid(error);
            var right = new List<ProofEdge.Subtree>();
            if (leaves.Count > 0)
            {
                error = ProofEdge.Collect(proof, root, leaves[^1].Key, leftSide: false, right);
                if (error != RangeProofError.None) return RangeProofResult.Invalid(error);
                right.Sort((a, b) => a.Path.CompareTo(b.Path));
            }

            foreach (ProofEdge.Subtree subtree in left) builder.AddSubtree(subtree.Path.Span, subtree.Reference);
            foreach (TrieLeaf leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);
            foreach (ProofEdge.Subtree subtree in right) builder.AddSubtree(subtree.Path.Span, subtree.Reference);
            return builder.Finish() == root ? RangeProofResult.Valid(hasMore: right.Count > 0) : RangeProofResult.Invalid(RangeProofError.RootMismatch);
        }
        catch (TrieException)
        {
            return RangeProofResult.Invalid(RangeProofError.MalformedProofNode);
        }
        catch (TrieBuildException)
        {
            // Only proven subtrees can still trip the builder here (the leaves were checked): a trie whose
            // shape does not fit 32-byte keys cannot be the one the root commits to.
            return RangeProofResult.Invalid(RangeProofError.RootMismatch);
        }
        finally
        {
            builder.Reset();
        }
    }

    private static RangeProofError CheckLeaves(IReadOnlyList<TrieLeaf> leaves)
    {
        for (int i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Value.IsEmpty) return RangeProofError.EmptyValue;
            if (i == 0) continue;
            int order = leaves[i].Key.CompareTo(leaves[i - 1].Key);
            if (order == 0) return RangeProofError.DuplicateKey;
            if (order < 0) return RangeProofError.KeysNotIncreasing;
        }
        return RangeProofError.None;
    }
}
