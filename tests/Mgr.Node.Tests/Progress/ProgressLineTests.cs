using Mgr.Node.Dashboard;
using Mgr.Node.Progress;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Tests.Progress;

public sealed class ProgressLineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Formats_role_epoch_peers_stages_and_traffic_on_one_line()
    {
        var tracker = new RateTracker();
        tracker.Observe(RateTrackerTests.Snapshot(T0, bytesIn: 0, chunks: 0, stateDone: 100) with { Peers = Peers(3) });
        NodeStatusSnapshot later = RateTrackerTests.Snapshot(T0.AddSeconds(5), bytesIn: 5 << 20, chunks: 50, stateDone: 300) with { Peers = Peers(3) };

        string line = ProgressLine.Format(later, tracker.Observe(later));

        Assert.Equal("leecher epoch 3 peers 3 | state 300/1024 chunks 29.3% 40/s eta 19s | healing 30 nodes 4/s"
            + " | in 5 MiB 1 MiB/s | out 1.25 MiB 256 KiB/s", line);
    }

    [Fact]
    public void Shows_unknowns_before_a_rate_and_done_and_synced_at_the_end()
    {
        NodeStatusSnapshot snapshot = new()
        {
            TakenAt = T0, PeerId = "p", Role = Role.Seeder, Synced = true,
            Stages = [new StageProgress("headers", 224, 224, "blocks")],
        };

        string line = ProgressLine.Format(snapshot, new RateTracker().Observe(snapshot));

        Assert.Equal("seeder epoch - peers 0 | headers 224/224 blocks 100.0% - done | in 0 B - | out 0 B - | synced", line);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.50 KiB")]
    [InlineData(12.3 * 1024 * 1024, "12.3 MiB")]
    [InlineData(5.0 * 1024 * 1024 * 1024 * 1024, "5 TiB")]
    public void Renders_byte_sizes_in_iec_units(double bytes, string expected)
    {
        Assert.Equal(expected, Quantity.Bytes(bytes));
    }

    [Theory]
    [InlineData(0.4, "1s")]
    [InlineData(59, "59s")]
    [InlineData(185, "3m05s")]
    [InlineData(7620, "2h07m")]
    [InlineData(273600, "3d04h")]
    public void Renders_durations_compactly(double seconds, string expected)
    {
        Assert.Equal(expected, Quantity.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Renders_an_unknown_duration_as_a_question_mark()
    {
        Assert.Equal("?", Quantity.Duration(null));
    }

    private static PeerStatus[] Peers(int count)
        => Enumerable.Range(0, count).Select(i => new PeerStatus($"peer{i}", Role.Seeder, KeyRangeSet.Full, 0, 0, 0)).ToArray();
}
