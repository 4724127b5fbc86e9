using Mgr.Fuzz.Engine;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Rlp;

namespace Mgr.Fuzz.Targets.Trie;

/// <summary>MerkleProof.Verify with an arbitrary root, key and proof node list, read from the envelope
/// <c>[root, key, [node…]]</c> (a malformed envelope is a verdict, not a finding). Verdicts are values: any exception
/// is a crash. Oracle: a proof accepted for the fixture's root must prove the fixture's real value (or absence).
/// Budget: 32 KiB + 8 B per input byte (the node set copies each node, decoded nodes on the path).</summary>
internal sealed class MerkleProofTarget : FuzzTarget
{
    public override string Name => "merkle-proof";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(32 * 1024, 8);

    public override IEnumerable<byte[]> Seeds()
    {
        ProofFixture fixture = ProofFixture.Instance;
        foreach (int index in new[] { 0, 7, 8, 40, 95 })
        {
            byte[] key = fixture.Leaves[index].Key.ToArray();
            yield return Envelope(fixture.Root, key, MerkleProof.Create(fixture.Store, fixture.Root, key));
            key[31] ^= 0x01;
            yield return Envelope(fixture.Root, key, MerkleProof.Create(fixture.Store, fixture.Root, key));
        }
    }

    public override string Execute(byte[] input)
    {
        Hash256 root;
        byte[] key;
        List<byte[]> proof;
        try
        {
            var outer = new RlpReader(input);
            RlpReader envelope = outer.ReadList();
            root = envelope.ReadHash();
            key = envelope.ReadBytes().ToArray();
            proof = ProofFixture.ReadNodes(ref envelope);
        }
        catch (RlpException error)
        {
            return $"envelope:{error.Reason}";
        }
        MerkleProofResult result = MerkleProof.Verify(root, key, proof);
        ProofFixture fixture = ProofFixture.Instance;
        if (result.IsValid && root == fixture.Root)
        {
            byte[]? truth = fixture.Trie.Get(key);
            bool same = truth is null ? result.Value is null : result.Value is not null && truth.AsSpan().SequenceEqual(result.Value);
            if (!same) throw new FuzzOracleException($"accepted a proof of {(result.Value is null ? "absence" : "a value")} that the trie contradicts");
        }
        return result.IsValid ? (result.Exists ? "present" : "absent") : result.Error.ToString();
    }

    public override string? Classify(Exception error) => null;

    private static byte[] Envelope(Hash256 root, byte[] key, IEnumerable<byte[]> proof) =>
        RlpTree.List(ProofFixture.Bytes(root.ToArray()), ProofFixture.Bytes(key), ProofFixture.Nodes(proof)).Encode();
}
