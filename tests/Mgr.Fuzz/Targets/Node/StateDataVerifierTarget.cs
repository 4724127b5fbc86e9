using Mgr.Fuzz.Engine;
using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>A StateData payload from a peer, decoded (<see cref="StateData.Decode"/>) and verified the way the engine
/// does before storing anything (<see cref="ChunkVerifier.Verify"/>) against the fixture's root of its epoch.
/// Documented failure: <see cref="ProtocolViolationException"/> from decoding; verification returns verdicts, so any
/// exception out of it is a crash. Oracle (soundness): an accepted chunk holds exactly the true leaves under its prefix.
/// Budget: 128 KiB + 64 B per input byte (decoded entries, proof copies, the rebuilt subtree).</summary>
internal sealed class StateDataVerifierTarget : FuzzTarget
{
    public override string Name => "chunk-state-data";

    public override InputFormat Format => InputFormat.Rlp;

    public override AllocationBudget Budget => new(128 * 1024, 64);

    public override int MaxInputBytes => 32 * 1024;

    public override IEnumerable<byte[]> Seeds()
    {
        ChunkFixture fixture = ChunkFixture.Instance;
        foreach (ChunkProducer producer in new[] { fixture.Old, fixture.New })
        foreach (ChunkId chunk in fixture.SeedChunks())
        {
            if (producer.TryProduce(chunk, requestId: 7) is not { } data) continue;
            var payload = new byte[data.EncodedLength()];
            data.WriteTo(payload);
            if (payload.Length <= MaxInputBytes) yield return payload;
        }
    }

    public override string Execute(byte[] input)
    {
        ChunkFixture fixture = ChunkFixture.Instance;
        StateData data = StateData.Decode(input);
        Mgr.Trie.Primitives.Hash256 expected = data.StateRoot == fixture.NewRoot ? fixture.NewRoot : fixture.OldRoot;
        ChunkCheck check = ChunkVerifier.Verify(data, expected);
        if (check.IsValid)
        {
            IReadOnlyList<TrieLeaf> sent = data.Chunk.IsStorage
                ? [.. data.Slots.Select(static slot => new TrieLeaf(slot.SlotHash, slot.Value))]
                : [.. data.Accounts.Select(static entry => new TrieLeaf(entry.AccountHash, entry.Value))];
            IReadOnlyList<TrieLeaf> truth = fixture.Truth(expected, data.Chunk);
            if (!ChunkFixture.Same(sent, truth) || !ChunkFixture.Same(check.Leaves, truth))
                throw new FuzzOracleException($"accepted {sent.Count} leaves for {data.Chunk}; the state holds {truth.Count} other ones");
        }
        return $"{check.Fault}:{check.ProofError}";
    }

    public override string? Classify(Exception error) => error is ProtocolViolationException violation ? $"violation:{violation.Reason}" : null;
}
