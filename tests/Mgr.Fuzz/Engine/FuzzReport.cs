namespace Mgr.Fuzz.Engine;

/// <summary>What fuzzing one target found: executions, distinct verdicts reached (the coverage proxy), the worst
/// allocation relative to the budget, every distinct new finding, and how often known open bugs were hit.</summary>
internal sealed record FuzzReport(
    string Target,
    long Executions,
    int DistinctVerdicts,
    int CorpusSize,
    long MaxAllocatedBytes,
    double MaxBudgetFraction,
    TimeSpan Elapsed,
    IReadOnlyList<FuzzFinding> Findings,
    int KnownFindingHits)
{
    public override string ToString() =>
        $"{Target,-22} {Executions,9} execs {Executions / Math.Max(Elapsed.TotalSeconds, 0.001),9:F0}/s  {DistinctVerdicts,4} verdicts  corpus {CorpusSize,5}  " +
        $"max alloc {MaxAllocatedBytes,8} B ({MaxBudgetFraction:P0} of budget)  findings {Findings.Count}" + (KnownFindingHits > 0 ? $" (+{KnownFindingHits} hits of known open bugs)" : string.Empty);
}
