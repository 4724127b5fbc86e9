using System.Buffers.Binary;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Stages;

/// <summary>One of the pipeline's state stages — State, Heal, Verify or Serve — over the MGR swarm engine. The engine
/// does the work (it is event-driven: chunks arrive when peers push them); the stage ties it to the pipeline: it derives
/// the epoch of the target block from the node's own stored canonical headers (the only trust anchor), hands it to the
/// engine (the State stage does), and is done when the engine has reached its <see cref="SwarmMilestone"/> for that
/// epoch.</summary>
/// <remarks>
/// <para>Checkpoint: <c>BlockNumber</c> is the finalized block whose epoch reached the milestone; while waiting the
/// <c>Cursor</c> is the epoch number (8 bytes, big-endian) and the account coverage in millionths (4 bytes), for
/// <c>mgr status</c>. A step waits at most <see cref="StepWait"/>, so the pipeline sees a newer finalized target soon
/// and starts over toward it (the engine then moves its pivot, rolling held chunks forward).</para>
/// <para>When the target's epoch boundary lies below the stored headers (the checkpoint is above it), there is no
/// trusted state root yet: the stage waits for the next epoch.</para>
/// <para>Unwind: the State stage forgets which chunks are held at the unwound epoch's root when the unwind crosses its
/// boundary (the flat data is then re-verified chunk by chunk); the other stages only lower their checkpoint.</para>
/// </remarks>
public sealed class SwarmStage(StageId id, SwarmMilestone milestone, IKeyValueStore store, EpochSchedule schedule, ISwarmControl swarm) : IStage
{
    /// <summary>Longest a step waits for the engine before returning (not done) to the pipeline.</summary>
    public static readonly TimeSpan StepWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Cursor length: epoch number and coverage.</summary>
    public const int CursorLength = 12;

    public StageId Id => id;

    public SwarmMilestone Milestone => milestone;

    public async ValueTask<ExecOutput> ExecuteAsync(ExecInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ulong previous = input.Checkpoint?.BlockNumber ?? 0;
        if (AnchorOf(input.Target) is not { } anchor)
        {
            await Task.Delay(StepWait, cancellation).ConfigureAwait(false);
            return new ExecOutput(new StageCheckpoint(previous, ReadOnlyMemory<byte>.Empty), Done: false);
        }
        if (milestone == SwarmMilestone.AccountsHeld) swarm.OnEpochFinalized(anchor);
        DateTime deadline = DateTime.UtcNow + StepWait;
        while (true)
        {
            SwarmProgress progress = await swarm.ProgressAsync(cancellation).ConfigureAwait(false);
            if (Reached(progress, anchor)) return new ExecOutput(new StageCheckpoint(input.Target, ReadOnlyMemory<byte>.Empty), Done: true);
            if (DateTime.UtcNow >= deadline) return new ExecOutput(new StageCheckpoint(previous, Cursor(anchor, progress)), Done: false);
            await Task.Delay(Poll, cancellation).ConfigureAwait(false);
        }
    }

    public ValueTask<StageCheckpoint> UnwindAsync(UnwindInput input, IWriteBatch batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ulong reached = input.Checkpoint.BlockNumber;
        bool sameEpoch = schedule.CurrentEpoch(reached) == schedule.CurrentEpoch(input.UnwindTo);
        if (milestone == SwarmMilestone.AccountsHeld && !sameEpoch && AnchorOf(reached) is { } anchor)
            SyncProgressStore.Clear(store, batch, anchor.StateRoot);
        ulong unwound = sameEpoch ? Math.Min(reached, input.UnwindTo) : 0;
        return ValueTask.FromResult(new StageCheckpoint(unwound, ReadOnlyMemory<byte>.Empty));
    }

    /// <summary>The epoch anchor of finalized block <paramref name="finalized"/>, from the stored canonical header at
    /// the epoch boundary; null when that header is not stored.</summary>
    public EpochAnchor? AnchorOf(ulong finalized)
    {
        ulong epoch = schedule.CurrentEpoch(finalized);
        ulong boundary = schedule.BoundaryNumber(epoch);
        if (!HeaderStore.TryReadCanonical(store, boundary, out Hash256 hash)) return null;
        var rlp = new System.Buffers.ArrayBufferWriter<byte>(600);
        if (!HeaderStore.TryRead(store, boundary, hash, rlp)) return null;
        BlockHeader header = BlockHeader.Decode(rlp.WrittenSpan);
        return new EpochAnchor(epoch, hash, header.StateRoot);
    }

    private bool Reached(SwarmProgress progress, EpochAnchor anchor)
    {
        if (progress.Anchor is not { } current || current.Number < anchor.Number) return false;
        if (current.Number > anchor.Number) return true; // the engine already moved on to a later epoch
        if (current.BoundaryHash != anchor.BoundaryHash) return false;
        return milestone switch
        {
            SwarmMilestone.AccountsHeld => progress.AccountsComplete,
            SwarmMilestone.Complete => progress.Complete,
            SwarmMilestone.Verified => progress.Synced,
            SwarmMilestone.Serving => progress.Synced && progress.Role == Role.Seeder,
            _ => false,
        };
    }

    private static byte[] Cursor(EpochAnchor anchor, SwarmProgress progress)
    {
        var cursor = new byte[CursorLength];
        BinaryPrimitives.WriteUInt64BigEndian(cursor, anchor.Number);
        double coverage = progress.Anchor is { } current && current.BoundaryHash == anchor.BoundaryHash ? progress.HeldAccounts.Coverage : 0;
        BinaryPrimitives.WriteUInt32BigEndian(cursor.AsSpan(8), (uint)Math.Round(Math.Clamp(coverage, 0, 1) * 1_000_000));
        return cursor;
    }
}
