using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

/// <summary>The engine's own limits (docs/limits.md): requests in flight and the per-peer back-pressure on pushes.</summary>
public sealed class SwarmEngineLimitTests
{
    private static readonly SwarmOptions Options = new() { GenesisHash = SwarmHarness.Genesis, NetworkId = 7, PullAfterIdle = TimeSpan.Zero, RideStartDelay = TimeSpan.Zero };

    [Fact]
    public void Pulls_in_flight_stay_within_the_per_peer_and_total_limits()
    {
        EpochAnchor anchor = SwarmHarness.Anchor(1, Hash256.EmptyTrieRoot);
        var transport = new QueueTransport();
        var engine = new SwarmEngine(Options, new InMemoryKeyValueStore(), transport, new VirtualClock());
        engine.OnEpochFinalized(anchor);
        Connect(engine, new PeerHandle(100), StatusOf(anchor, Role.Seeder, KeyRangeSet.Full, depth: 2));
        engine.OnPeerDisconnected(new PeerHandle(100));
        PeerHandle[] peers = [.. Enumerable.Range(1, 6).Select(static id => new PeerHandle(id))];
        foreach (PeerHandle peer in peers) Connect(engine, peer, StatusOf(anchor, Role.Leecher, KeyRangeSet.Full, depth: 2));

        for (int tick = 0; tick < 5; tick++) engine.OnTick();

        Assert.Equal(Options.MaxPullsInFlight, transport.Sent.Count(static entry => entry.Message is GetStateData));
        Assert.All(peers, peer => Assert.InRange(transport.SentTo<GetStateData>(peer).Count(), 0, Options.MaxPullsPerPeer));
    }

    [Fact]
    public void A_seeder_pushes_nothing_to_a_peer_over_the_back_pressure_limit_until_it_drains()
    {
        var state = new TestState(21, 3_000, []);
        var store = new InMemoryKeyValueStore();
        state.CopyTo(store);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        var transport = new QueueTransport();
        var clock = new VirtualClock();
        var engine = new SwarmEngine(Options with { Role = Role.Seeder }, store, transport, clock);
        engine.OnEpochFinalized(anchor);
        PeerHandle slow = new(1), fast = new(2);
        int depth = engine.Depth!.Value;
        Connect(engine, slow, StatusOf(anchor, Role.Leecher, KeyRangeSet.Empty, depth));
        Connect(engine, fast, StatusOf(anchor, Role.Leecher, KeyRangeSet.Empty, depth));
        transport.QueuedFor[slow] = Options.MaxQueuedBytesPerPeer + 1;

        engine.OnTick();
        int toSlowWhileFull = transport.SentTo<StateData>(slow).Count();
        transport.QueuedFor[slow] = 0;
        clock.AdvanceTo(clock.Now + Options.RepushAfter + TimeSpan.FromSeconds(1)); // the ride comes round again
        engine.OnTick();

        Assert.Equal(0, toSlowWhileFull);
        Assert.NotEmpty(transport.SentTo<StateData>(fast));
        Assert.NotEmpty(transport.SentTo<StateData>(slow));
    }

    private static Status StatusOf(EpochAnchor anchor, Role role, KeyRangeSet haves, int depth) =>
        new(1, 7, SwarmHarness.Genesis, default, default, default, role, new Epoch(anchor.Number, anchor.BoundaryHash, anchor.StateRoot, depth), haves, []);

    private static void Connect(SwarmEngine engine, PeerHandle peer, Status status)
    {
        engine.OnPeerConnected(peer);
        engine.OnMessage(peer, status);
    }
}
