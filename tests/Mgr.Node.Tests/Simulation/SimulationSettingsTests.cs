using Mgr.Node.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Xunit;

namespace Mgr.Node.Tests.Simulation;

public sealed class SimulationSettingsTests
{
    [Fact]
    public void The_depth_rule_target_scales_so_that_chunks_weigh_about_the_configured_chunk_size()
    {
        var settings = new SimulationSettings { Accounts = 8_200, StateBytes = 64_000_000, ChunkBytes = 256_000 };

        int target = settings.TargetLeavesPerChunk();

        Assert.Equal(33, target);
        Assert.Equal(2, ChunkDepth.Select(8_200, target));
    }

    [Fact]
    public void A_chunk_size_of_zero_keeps_the_protocol_target()
    {
        var settings = new SimulationSettings { ChunkBytes = 0 };

        Assert.Equal(Limits.TargetLeavesPerChunk, settings.TargetLeavesPerChunk());
    }
}
