namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>One run of the soaked leecher, from its start to its SIGKILL (or, for the last, to its clean stop).</summary>
/// <param name="Target">What the kill aimed at; null for the last run.</param>
/// <param name="Phase">The phase of the last status read before the kill (or stop).</param>
/// <param name="Coverage">Accounts held at that status.</param>
/// <param name="ResumedCoverage">Accounts held at the first status of the run that named an epoch (null: none did).</param>
/// <param name="SeederStateBytes">State payload (StateData, ChunkDiff, ByteCodes) the seeder sent during the run: everything
/// this leecher can have received, including what was in flight when it died.</param>
/// <param name="SeederStateDataBytes">The StateData part of <paramref name="SeederStateBytes"/>.</param>
/// <param name="ReportedStateDataIn">StateData bytes the leecher reported at its last status (the unread tail missing).</param>
/// <param name="PeakResidentBytes">VmHWM of the process just before the kill.</param>
internal sealed record SoakRun(int Number, KillTarget? Target, KillPhase Phase, double Coverage, double? ResumedCoverage, long SeederStateBytes,
    long SeederStateDataBytes, long ReportedStateDataIn, long? PeakResidentBytes, double MaxPeerPenalty, double Seconds);
