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

    [Theory]
    [InlineData(250_000, 1, 24)]
    [InlineData(4_000_000, 1, 24)]
    [InlineData(62_500, 4, 96)]
    [InlineData(125_000, 2, 48)]
    public void About_256_kB_is_requested_per_holder_whatever_the_chunk_size(double chunkBytes, int perHolder, int inFlight)
    {
        SwarmOptions profile = SimulationProfile.Engine(TimeSpan.FromMilliseconds(25), 12_500_000, chunkBytes);

        Assert.Equal(perHolder, profile.MaxPullsPerPeer);
        Assert.Equal(inFlight, profile.MaxPullsInFlight);
    }

    [Theory]
    [InlineData(64_000_000, 250_000)] // 8,200 accounts, leaf target 33: depth 2, 256 chunks
    [InlineData(256_000_000, 62_500)] // leaf target 8: depth 3, 4,096 chunks
    public void The_expected_chunk_size_follows_the_depth_rule(long stateBytes, double chunkBytes)
    {
        var settings = new SimulationSettings { StateBytes = stateBytes };

        Assert.Equal(chunkBytes, settings.ExpectedChunkBytes());
    }
}
