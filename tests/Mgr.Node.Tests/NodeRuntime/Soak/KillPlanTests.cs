namespace Mgr.Node.Tests.NodeRuntime.Soak;

public sealed class KillPlanTests
{
    [Fact]
    public void Twenty_kills_spread_over_every_phase_with_the_ride_in_increasing_coverage()
    {
        IReadOnlyList<KillTarget> plan = KillPlan.Make(20, seed: 1);

        Assert.Equal(20, plan.Count);
        Assert.Equal(4, plan.Count(static target => target.Phase == KillPhase.Headers));
        Assert.Equal(3, plan.Count(static target => target.Phase == KillPhase.Heal));
        Assert.Equal(3, plan.Count(static target => target.Phase == KillPhase.Synced));
        double[] ride = [.. plan.Where(static target => target.Phase == KillPhase.Ride).Select(static target => target.MinCoverage)];
        Assert.Equal(10, ride.Length);
        Assert.Equal(ride.Order(), ride);
        Assert.All(ride, coverage => Assert.InRange(coverage, KillPlan.MinRideCoverage, KillPlan.MaxRideCoverage));
        Assert.Equal([KillPhase.Ride, KillPhase.Heal, KillPhase.Synced], plan.Where(static target => target.Phase != KillPhase.Headers).Select(static target => target.Phase).Distinct());
    }

    [Fact]
    public void The_same_seed_gives_the_same_plan()
    {
        Assert.Equal(KillPlan.Make(8, seed: 5), KillPlan.Make(8, seed: 5));
    }

    [Fact]
    public void Refuses_fewer_kills_than_phases()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KillPlan.Make(3, seed: 1));
    }
}
