using Mgr.Node.Dashboard;
using Mgr.Node.Progress;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Progress;

public sealed class RateTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Computes_byte_chunk_and_stage_rates_with_an_eta()
    {
        var tracker = new RateTracker();

        tracker.Observe(Snapshot(T0, bytesIn: 0, chunks: 0, stateDone: 100));
        NodeRates rates = tracker.Observe(Snapshot(T0.AddSeconds(5), bytesIn: 5 << 20, chunks: 50, stateDone: 300));

        Assert.Equal(1 << 20, rates.BytesInPerSecond);
        Assert.Equal(10, rates.ChunksPerSecond);
        StageRate state = rates.Stages.Single(s => s.Name == "state");
        Assert.Equal((300.0, 1024.0, 40.0), (state.Done, state.Total!.Value, state.PerSecond!.Value));
        Assert.Equal(TimeSpan.FromSeconds((1024 - 300) / 40.0), state.Remaining);
        StageRate healing = rates.Stages.Single(s => s.Name == "healing");
        Assert.Null(healing.Remaining);
    }

    [Fact]
    public void Reports_unknown_rates_after_one_snapshot()
    {
        NodeRates rates = new RateTracker().Observe(Snapshot(T0, bytesIn: 10, chunks: 1, stateDone: 1));

        Assert.Null(rates.BytesInPerSecond);
        Assert.All(rates.Stages, stage => Assert.Null(stage.PerSecond));
    }

    internal static NodeStatusSnapshot Snapshot(DateTimeOffset at, long bytesIn, long chunks, double stateDone) => new()
    {
        TakenAt = at,
        PeerId = "16Uiu2HAmRates",
        Role = Role.Leecher,
        BytesIn = bytesIn,
        BytesOut = bytesIn / 4,
        ChunksVerified = chunks,
        Epoch = 3,
        Stages = [new StageProgress("state", stateDone, 1024, "chunks"), new StageProgress("healing", stateDone / 10, null, "nodes")],
    };
}
