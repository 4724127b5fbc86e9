using Mgr.Node.Simulation;
using Mgr.Node.Swarm;
using Xunit;

namespace Mgr.Node.Tests.Simulation;

public sealed class SimulationProfileTests
{
    [Fact]
    public void The_ride_backlog_is_three_ticks_of_upload_but_never_under_a_megabyte()
    {
        TimeSpan tick = TimeSpan.FromMilliseconds(100);

        Assert.Equal(3_750_000, SimulationProfile.Engine(tick, 12_500_000).MaxQueuedBytesTotal);
        Assert.Equal(1_000_000, SimulationProfile.Engine(tick, 1_000_000).MaxQueuedBytesTotal);
    }

    [Fact]
    public void Haves_go_out_every_tick_and_only_policy_knobs_differ_from_the_engine_defaults()
    {
        TimeSpan tick = TimeSpan.FromMilliseconds(25);
        SwarmOptions profile = SimulationProfile.Engine(tick, 12_500_000);
        var defaults = new SwarmOptions();

        Assert.Equal(tick, profile.HaveBatchInterval);
        Assert.Equal(0, profile.ForwardFanOut);
        Assert.Equal(defaults.Role, profile.Role);
        Assert.Equal(defaults.PushFanOut, profile.PushFanOut);
        Assert.Equal(defaults.RequestTimeout, profile.RequestTimeout);
        Assert.Equal(defaults.TargetLeavesPerChunk, profile.TargetLeavesPerChunk);
    }
}
