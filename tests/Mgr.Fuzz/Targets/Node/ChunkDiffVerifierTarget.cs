using Mgr.Fuzz.Engine;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>A ChunkDiff payload from a peer, decoded (<see cref="ChunkDiff.Decode"/>) and applied to the chunk's true
/// leaves at the older root the way the engine rolls a held chunk forward (<see cref="ChunkRollForward.Verify"/>).
/// Documented failure: <see cref="ProtocolViolationException"/> from decoding; verification returns verdicts. Oracle
/// (soundness): an accepted diff to one of the fixture's roots yields exactly the true leaves under the prefix there.
/// Budget: 128 KiB + 64 B per input byte (the held leaves are read from the fixture, a constant).</summary>
internal sealed class ChunkDiffVerifierTarget : FuzzTarget
{
    public override string Name => "chunk-diff";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(128 * 1024, 64);

    public override int MaxInputBytes => 32 * 1024;

    public override IEnumerable<byte[]> Seeds()
    {
        ChunkFixture fixture = ChunkFixture.Instance;
        var view = new ServingView(new InMemoryKeyValueStore(), [fixture.New, fixture.Old], static _ => true);
        foreach (ChunkId chunk in fixture.SeedChunks())
        {
            var request = new GetChunkDiff(9, chunk, fixture.OldEpoch.BoundaryHash, fixture.OldRoot, fixture.NewEpoch.BoundaryHash, fixture.NewRoot);
            if (ChunkDiffProducer.Serve(view, request) is not ChunkDiff diff) continue;
            var payload = new byte[diff.EncodedLength()];
            diff.WriteTo(payload);
            if (payload.Length <= MaxInputBytes) yield return payload;
        }
    }

    public override string Execute(byte[] input)
    {
        ChunkFixture fixture = ChunkFixture.Instance;
        ChunkDiff diff = ChunkDiff.Decode(input);
        ChunkCheck check = ChunkRollForward.Verify(diff, fixture.Truth(fixture.OldRoot, diff.Chunk));
        if (check.IsValid && (diff.ToRoot == fixture.NewRoot || diff.ToRoot == fixture.OldRoot))
        {
            IReadOnlyList<TrieLeaf> truth = fixture.Truth(diff.ToRoot, diff.Chunk);
            if (!ChunkFixture.Same(check.Leaves, truth))
                throw new FuzzOracleException($"accepted a diff of {diff.Chunk} giving {check.Leaves.Count} leaves; the state holds {truth.Count} other ones");
        }
        return $"{check.Fault}:{check.ProofError}";
    }

    public override string? Classify(Exception error) => error is ProtocolViolationException violation ? $"violation:{violation.Reason}" : null;
}
