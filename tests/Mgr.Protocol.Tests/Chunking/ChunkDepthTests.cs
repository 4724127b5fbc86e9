using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class ChunkDepthTests
{
    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(8_192UL, 0)]
    [InlineData(8_193UL, 1)]
    [InlineData(10_000UL, 1)]
    [InlineData(50_000UL, 1)]
    [InlineData(131_072UL, 1)]
    [InlineData(131_073UL, 2)]
    [InlineData(1_000_000UL, 2)]
    [InlineData(300_000_000UL, 4)]
    [InlineData(ulong.MaxValue, 6)]
    public void Rounds_the_chunk_count_to_the_nearest_power_of_sixteen(ulong leaves, int depth)
    {
        Assert.Equal(depth, ChunkDepth.Select(leaves));
    }

    [Fact]
    public void Keeps_the_average_chunk_within_a_factor_four_of_the_target()
    {
        for (ulong leaves = 1; leaves < 200_000_000; leaves = leaves * 3 / 2 + 1)
        {
            int depth = ChunkDepth.Select(leaves);
            double average = leaves / Math.Pow(16, depth);

            Assert.True(average <= 4.0 * Limits.TargetLeavesPerChunk, $"{leaves} leaves at depth {depth}");
            if (depth > 0) Assert.True(average > Limits.TargetLeavesPerChunk / 4.0, $"{leaves} leaves at depth {depth}");
        }
    }

    [Fact]
    public void Never_gets_shallower_as_the_state_grows()
    {
        int previous = 0;
        for (ulong leaves = 0; leaves < 10_000_000_000; leaves = leaves * 5 / 4 + 1)
        {
            int depth = ChunkDepth.Select(leaves);
            Assert.True(depth >= previous);
            previous = depth;
        }
    }
}
