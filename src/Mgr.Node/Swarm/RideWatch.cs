using Mgr.Protocol.Chunking;

namespace Mgr.Node.Swarm;

/// <summary>A leecher's view of its epoch's ride (spec/swarm.md §3): when a ride chunk last reached it (pushed by a
/// seeder or forwarded by a leecher), and the furthest ride step that reached it so far. Pulls wait for the ride to pass
/// a chunk, or to stall, before asking for it.</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class RideWatch
{
    /// <summary>When a ride chunk last reached this node (or the epoch was announced).</summary>
    public TimeSpan LastPush { get; private set; }

    /// <summary>The furthest ride step of an account chunk that reached this node; null before any.</summary>
    public ulong? FurthestStep { get; private set; }

    /// <summary>A new epoch began, or was announced, at <paramref name="now"/>: no ride chunk seen yet.</summary>
    public void Reset(TimeSpan now)
    {
        LastPush = now;
        FurthestStep = null;
    }

    /// <summary>A ride chunk, <paramref name="chunk"/>, reached this node at <paramref name="now"/>; a whole account chunk
    /// of the <paramref name="ride"/> (at its depth or deeper: the step of its ancestor) moves the furthest step on.</summary>
    public void Note(ChunkId chunk, RideOrder? ride, TimeSpan now)
    {
        LastPush = now;
        if (chunk.IsStorage || ride is not { } order || chunk.Depth < order.Partition.Depth) return;
        ulong step = order.StepOf(order.Partition.IndexOf(chunk.Path));
        if (FurthestStep is not { } furthest || step > furthest) FurthestStep = step;
    }

    /// <summary>True when the ride is more than <paramref name="lag"/> steps past <paramref name="step"/>.</summary>
    public bool HasPassed(ulong step, int lag) => FurthestStep is { } furthest && step + (ulong)lag < furthest;
}
