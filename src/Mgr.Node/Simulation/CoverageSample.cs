namespace Mgr.Node.Simulation;

/// <summary>Every leecher's coverage (0–1, in leecher order) at one virtual time.</summary>
public sealed record CoverageSample(double Seconds, IReadOnlyList<double> Coverage);
