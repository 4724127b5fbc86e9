using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Xunit;

namespace Mgr.Node.Tests.Swarm;

public sealed class RideWatchTests
{
    private static readonly RideOrder Ride = new KeyspacePartition(1).RideFrom(Hash256.Parse("0x" + "a0" + new string('0', 62)));

    private static ChunkId AtStep(ulong step) => Ride.Partition.ChunkAt(Ride.IndexAt(step));

    [Fact]
    public void The_furthest_step_only_moves_forward_and_a_chunk_counts_as_passed_after_the_lag()
    {
        var watch = new RideWatch();
        watch.Reset(TimeSpan.FromSeconds(1));
        Assert.Null(watch.FurthestStep);
        Assert.False(watch.HasPassed(0, 0));

        watch.Note(AtStep(5), Ride, TimeSpan.FromSeconds(2));
        watch.Note(AtStep(2), Ride, TimeSpan.FromSeconds(3)); // a late push of an earlier step

        Assert.Equal(5UL, watch.FurthestStep);
        Assert.Equal(TimeSpan.FromSeconds(3), watch.LastPush);
        Assert.True(watch.HasPassed(3, 1));
        Assert.False(watch.HasPassed(4, 1));
    }

    [Fact]
    public void Storage_chunks_and_chunks_shallower_than_the_ride_refresh_the_push_time_but_not_the_step()
    {
        var watch = new RideWatch();
        watch.Reset(TimeSpan.Zero);
        Hash256 account = Hash256.Parse("0x" + new string('1', 64));

        watch.Note(new KeyspacePartition(1, account).ChunkAt(9), Ride, TimeSpan.FromSeconds(1));
        watch.Note(new KeyspacePartition(0).ChunkAt(0), Ride, TimeSpan.FromSeconds(2));
        watch.Note(AtStep(3), null, TimeSpan.FromSeconds(3)); // no ride known yet

        Assert.Null(watch.FurthestStep);
        Assert.Equal(TimeSpan.FromSeconds(3), watch.LastPush);

        watch.Note(AtStep(3).Children()[0], Ride, TimeSpan.FromSeconds(4)); // deeper: its ancestor's step
        Assert.Equal(3UL, watch.FurthestStep);

        watch.Reset(TimeSpan.FromSeconds(5));
        Assert.Null(watch.FurthestStep);
        Assert.Equal(TimeSpan.FromSeconds(5), watch.LastPush);
    }
}
