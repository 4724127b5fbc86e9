namespace Mgr.Node.Progress;

/// <summary>A stage's progress with its recent rate (units per second, null until known) and estimated time left
/// (null when the total or the rate is unknown).</summary>
public sealed record StageRate(string Name, double Done, double? Total, string Unit, double? PerSecond, TimeSpan? Remaining);
