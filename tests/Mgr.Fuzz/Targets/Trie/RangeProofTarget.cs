using Mgr.Fuzz.Engine;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Rlp;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>RangeProofVerifier.Verify with arbitrary leaves and proof nodes, read from the envelope
/// <c>[root, origin, [[key, value]…], [node…] or "" for no proof]</c>. Verdicts are values: any exception is a crash.
/// Oracle: a range accepted for the fixture's root holds exactly the fixture's leaves from the origin to the last
/// leaf, and says "no more" only when the trie has none after it. Budget: 64 KiB + 12 B per input byte.</summary>
internal sealed class RangeProofTarget : FuzzTarget
{
    public override string Name => "range-proof";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(64 * 1024, 12);

    public override IEnumerable<byte[]> Seeds()
    {
        ProofFixture fixture = ProofFixture.Instance;
        foreach ((int from, int to, int max) in new[] { (0, 20, 8), (10, 40, 16), (60, 95, 100), (0, 95, 200) })
        {
            Hash256 origin = fixture.Leaves[from].Key;
            RangeProof proof = RangeProver.Create(fixture.Store, fixture.Root, origin, fixture.Leaves[to].Key, max, omitProofForWholeTrie: true);
            yield return Envelope(fixture.Root, origin, proof.Leaves, proof.Proof);
        }
    }

    public override string Execute(byte[] input)
    {
        Hash256 root, origin;
        List<TrieLeaf> leaves;
        List<byte[]>? proof;
        try
        {
            var outer = new RlpReader(input);
            RlpReader envelope = outer.ReadList();
            root = envelope.ReadHash();
            origin = envelope.ReadHash();
            leaves = ProofFixture.ReadLeaves(ref envelope);
            proof = envelope.PeekIsList ? ProofFixture.ReadNodes(ref envelope) : null;
        }
        catch (RlpException error)
        {
            return $"envelope:{error.Reason}";
        }
        RangeProofResult result = RangeProofVerifier.Verify(root, origin, leaves, proof);
        if (result.IsValid && root == ProofFixture.Instance.Root) CheckAgainstFixture(origin, leaves, result.HasMore, proof is null);
        return result.IsValid ? (result.HasMore ? "more" : "last") : result.Error.ToString();
    }

    public override string? Classify(Exception error) => null;

    private static void CheckAgainstFixture(Hash256 origin, List<TrieLeaf> leaves, bool hasMore, bool noProof)
    {
        ProofFixture fixture = ProofFixture.Instance;
        Hash256 from = noProof ? Hash256.Zero : origin;
        Hash256 last = leaves.Count > 0 ? leaves[^1].Key : Hash256.MaxValue;
        var truth = fixture.Between(from, last).ToList();
        bool same = truth.Count == leaves.Count && truth.Zip(leaves).All(pair => pair.First.Key == pair.Second.Key && pair.First.Value.Span.SequenceEqual(pair.Second.Value.Span));
        if (!same) throw new FuzzOracleException($"accepted {leaves.Count} leaves that are not the trie's {truth.Count} leaves of that range");
        bool truthHasMore = leaves.Count > 0 && fixture.Leaves[^1].Key > last;
        if (!hasMore && truthHasMore) throw new FuzzOracleException("accepted a range as the last one although the trie has more leaves");
    }

    private static byte[] Envelope(Hash256 root, Hash256 origin, IEnumerable<TrieLeaf> leaves, IEnumerable<byte[]>? proof) =>
        RlpTree.List(ProofFixture.Bytes(root.ToArray()), ProofFixture.Bytes(origin.ToArray()), ProofFixture.LeafList(leaves),
            proof is null ? RlpTree.String([]) : ProofFixture.Nodes(proof)).Encode();
}
