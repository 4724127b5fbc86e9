namespace Mgr.Node.Simulation;

/// <summary>Where a running simulation is, reported at each coverage sample: the virtual time reached against the mode's
/// bound, leechers synced, mean coverage and events processed so far.</summary>
public sealed record SimulationProgress(double VirtualSeconds, double BoundSeconds, int Synced, int Leechers, double MeanCoverage, long Events);
