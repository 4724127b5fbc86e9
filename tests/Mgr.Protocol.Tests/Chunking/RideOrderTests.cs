using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class RideOrderTests
{
    private static readonly Hash256 Start = Hash256.Parse("0xc3a0000000000000000000000000000000000000000000000000000000000042");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Visits_every_chunk_once_starting_with_the_one_holding_the_start_key(int depth)
    {
        var partition = new KeyspacePartition(depth);

        var ride = new List<ChunkId>();
        foreach (ChunkId chunk in partition.RideFrom(Start)) ride.Add(chunk);

        Assert.True(ride[0].Contains(Start));
        Assert.Equal((int)partition.ChunkCount, ride.Count);
        Assert.Equal((int)partition.ChunkCount, ride.Distinct().Count());
    }

    [Fact]
    public void Proceeds_in_prefix_order_and_wraps_around_the_keyspace()
    {
        var indexes = new List<ulong>();
        foreach (ChunkId chunk in new KeyspacePartition(1).RideFrom(Start)) indexes.Add(chunk.Path.Word(0) >> 60);

        Assert.Equal([0xcUL, 0xd, 0xe, 0xf, 0x0, 0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb], indexes);
    }

    [Fact]
    public void Counts_steps_from_the_start()
    {
        RideOrder ride = new KeyspacePartition(2).RideFrom(Start);

        Assert.Equal(0UL, ride.StepOf(0xc3));
        Assert.Equal(255UL, ride.StepOf(0xc2));
        Assert.Equal(0x3dUL, ride.StepOf(0x00));
        Assert.Equal(0x00UL, ride.IndexAt(0x3d));
    }
}
