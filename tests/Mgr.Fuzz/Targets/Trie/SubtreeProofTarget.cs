using Mgr.Fuzz.Engine;
using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Rlp;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>SubtreeProof.Verify (MGR chunk proofs) with arbitrary leaves and proof nodes, read from the envelope
/// <c>[root, prefix nibbles (one byte each, 0–15), [[key, value]…], [node…]]</c>. Verdicts are values: any exception
/// is a crash. Oracle: a chunk accepted for the fixture's root holds exactly the fixture's leaves under the prefix.
/// Budget: 64 KiB + 12 B per input byte.</summary>
internal sealed class SubtreeProofTarget : FuzzTarget
{
    public override string Name => "subtree-proof";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(64 * 1024, 12);

    public override IEnumerable<byte[]> Seeds()
    {
        ProofFixture fixture = ProofFixture.Instance;
        byte[][] prefixes = [[], [0x3], [0x5, 0xa], [0x5, 0xa, 0x5, 0xa, 0x5], [0xc, 0x1, 0x7], [0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x5, 0xa, 0x1]];
        foreach (byte[] nibbles in prefixes)
        {
            ProvenSubtree chunk = SubtreeProof.Create(fixture.Store, fixture.Root, ProofFixture.Prefix(nibbles));
            yield return RlpTree.List(ProofFixture.Bytes(fixture.Root.ToArray()), ProofFixture.Bytes(nibbles), ProofFixture.LeafList(chunk.Leaves), ProofFixture.Nodes(chunk.Proof)).Encode();
        }
    }

    public override string Execute(byte[] input)
    {
        Hash256 root;
        byte[] nibbles;
        List<TrieLeaf> leaves;
        List<byte[]> proof;
        try
        {
            var outer = new RlpReader(input);
            RlpReader envelope = outer.ReadList();
            root = envelope.ReadHash();
            nibbles = envelope.ReadBytes().ToArray();
            leaves = ProofFixture.ReadLeaves(ref envelope);
            proof = ProofFixture.ReadNodes(ref envelope);
        }
        catch (RlpException error)
        {
            return $"envelope:{error.Reason}";
        }
        if (nibbles.Length > 64 || nibbles.Any(n => n > 0x0f)) return "envelope:prefix";
        NibblePath prefix = ProofFixture.Prefix(nibbles);
        SubtreeProofError error2 = SubtreeProof.Verify(root, prefix, leaves, proof);
        if (error2 == SubtreeProofError.None && root == ProofFixture.Instance.Root)
        {
            var truth = ProofFixture.Instance.Leaves.Where(leaf => HasPrefix(leaf.Key, nibbles)).ToList();
            bool same = truth.Count == leaves.Count && truth.Zip(leaves).All(pair => pair.First.Key == pair.Second.Key && pair.First.Value.Span.SequenceEqual(pair.Second.Value.Span));
            if (!same) throw new FuzzOracleException($"accepted {leaves.Count} leaves under the prefix; the trie holds {truth.Count} other ones");
        }
        return error2.ToString();
    }

    public override string? Classify(Exception error) => null;

    private static bool HasPrefix(Hash256 key, byte[] nibbles)
    {
        for (int i = 0; i < nibbles.Length; i++)
        {
            if (key.Nibble(i) != nibbles[i]) return false;
        }
        return true;
    }
}
