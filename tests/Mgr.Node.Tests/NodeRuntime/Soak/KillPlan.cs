namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>The kills of one soak, drawn from a seeded RNG so a run can be repeated: about a fifth during headers (before
/// the first epoch, placed anywhere in the sequence, since every restart passes through it), the ride at increasing
/// coverage between 10 % and 90 %, then heal/verify (every account held, not yet synced), and last right after the
/// leecher reports synced (following the chain). Each kill waits a random delay after its target is seen; a headers
/// target is seen at the run's first status (the dashboard answers once the genesis is read and the store is open, before
/// the header download), so its kill lands in the header download or the hand-over of the epoch, or, when those are
/// quicker than its delay, early in the ride.</summary>
internal static class KillPlan
{
    public const double MinRideCoverage = 0.10;
    public const double MaxRideCoverage = 0.90;

    /// <summary>The kill targets, in order.</summary>
    public static IReadOnlyList<KillTarget> Make(int kills, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kills, 4);
        var random = new Random(seed);
        int headers = Math.Max(1, kills / 5), heal = Math.Max(1, kills / 6), synced = Math.Max(1, kills / 6);
        int ride = kills - headers - heal - synced;
        var plan = new List<KillTarget>(kills);
        double[] coverages = [.. Enumerable.Range(0, ride).Select(_ => MinRideCoverage + random.NextDouble() * (MaxRideCoverage - MinRideCoverage)).Order()];
        foreach (double coverage in coverages) plan.Add(new KillTarget(KillPhase.Ride, coverage, Milliseconds(random, 300)));
        for (int i = 0; i < heal; i++) plan.Add(new KillTarget(KillPhase.Heal, 1, Milliseconds(random, 300)));
        for (int i = 0; i < synced; i++) plan.Add(new KillTarget(KillPhase.Synced, 1, Milliseconds(random, 2000)));
        for (int i = 0; i < headers; i++) plan.Insert(random.Next(plan.Count + 1), new KillTarget(KillPhase.Headers, 0, Milliseconds(random, 1500)));
        return plan;
    }

    private static TimeSpan Milliseconds(Random random, int max) => TimeSpan.FromMilliseconds(random.Next(max + 1));
}
