namespace Mgr.Node.Progress;

/// <summary>Rates derived from recent status snapshots: payload bytes in and out and verified chunks per second
/// (null until two snapshots are known), and each stage's rate and ETA in the snapshot's stage order.</summary>
public sealed record NodeRates(double? BytesInPerSecond, double? BytesOutPerSecond, double? ChunksPerSecond, IReadOnlyList<StageRate> Stages);
