using System.Diagnostics.Metrics;
using Mgr.Node.Metrics;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Metrics;

public sealed class SwarmMetricsTests
{
    [Fact]
    public void A_syncing_leecher_reports_bytes_by_message_type_verified_chunks_and_full_coverage()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(9);
        using var metrics = new SwarmMetrics("leecher-under-test");
        var harness = new SwarmHarness(state, leechers: 0);
        var store = new InMemoryKeyValueStore();
        SimulatedNode leecher = harness.Network.AddNode("leecher", (transport, clock) => new SwarmEngine(harness.Options, store, transport, clock, metrics));
        var counters = new Dictionary<string, long>();
        var gauges = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SwarmMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!HasNode(tags)) return;
            string key = instrument.Name + string.Concat(tags.ToArray().Where(static t => t.Key == "message").Select(static t => "/" + t.Value));
            counters[key] = counters.GetValueOrDefault(key) + value;
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (HasNode(tags)) gauges[instrument.Name + string.Concat(tags.ToArray().Where(static t => t.Key == "role").Select(static t => "/" + t.Value))] = value;
        });
        listener.Start();

        harness.Finalize(SwarmHarness.Anchor(1, state.Root));
        harness.Network.ConnectAll();
        Assert.True(harness.RunUntilSynced([leecher], state.Root, TimeSpan.FromMinutes(1)));
        listener.RecordObservableInstruments();

        Assert.Equal(leecher.Engine.Counters.BytesInOf(MessageCode.StateData), counters["mgr.swarm.bytes.in/StateData"]);
        Assert.Equal(leecher.Engine.Counters.ChunksVerified, counters["mgr.swarm.chunks.verified"]);
        Assert.Equal(1.0, gauges["mgr.swarm.coverage"]);
        Assert.Equal(1.0, gauges["mgr.swarm.epoch"]);
        Assert.True(gauges["mgr.swarm.time_to_synced"] > 0);
        Assert.Equal((1.0, 0.0, 0.0), (gauges["mgr.swarm.peers/seeder"], gauges["mgr.swarm.peers/leecher"], gauges["mgr.swarm.peers/unknown"]));
    }

    private static bool HasNode(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
            if (tag.Key == "node" && (string?)tag.Value == "leecher-under-test") return true;
        return false;
    }
}
