using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

/// <summary>The engine's flood and back-pressure defences (issue 11), driven by hand on a leecher.</summary>
public sealed class SwarmEngineDefenceTests
{
    private static readonly EpochAnchor Anchor = SwarmHarness.Anchor(1, Hash256.EmptyTrieRoot);
    private static readonly PeerHandle Seeder = new(100), PeerA = new(101);
    private static readonly SwarmOptions Options = new() { GenesisHash = SwarmHarness.Genesis, NetworkId = 7, PullAfterIdle = TimeSpan.Zero };

    [Fact]
    public void A_flood_of_announcements_past_the_budget_is_penalized_then_banned()
    {
        (SwarmEngine engine, QueueTransport transport, _) = Leecher(Options with { ControlMessageBurst = 50, MaxControlMessagesPerSecond = 10 });
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));

        // The Status and 49 Haves use the burst of 50 up; every message after it is one over the budget.
        for (int i = 0; i < 49; i++) engine.OnMessage(PeerA, new Haves(Anchor.BoundaryHash, KeyRangeSet.Empty, []));
        Assert.Equal(0, engine.Scores.PenaltyCount(PeerA));
        for (int i = 0; i < Options.Penalties.BanScore; i++) engine.OnMessage(PeerA, new Haves(Anchor.BoundaryHash, KeyRangeSet.Empty, []));

        Assert.Equal(Options.Penalties.BanScore, engine.Scores.PenaltyCount(PeerA));
        Assert.True(engine.Scores.IsBanned(PeerA));
        Assert.Contains((PeerA, DisconnectReason.Banned), transport.Disconnected);
    }

    [Fact]
    public void Announcements_at_an_honest_rate_are_never_penalized()
    {
        (SwarmEngine engine, _, VirtualClock clock) = Leecher(Options with { ControlMessageBurst = 20, MaxControlMessagesPerSecond = 10 });
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));

        for (int i = 0; i < 1000; i++)
        {
            clock.AdvanceTo(clock.Now + TimeSpan.FromMilliseconds(110));
            engine.OnMessage(PeerA, new Haves(Anchor.BoundaryHash, KeyRangeSet.Empty, []));
        }

        Assert.Equal(0, engine.Scores.PenaltyCount(PeerA));
    }

    [Fact]
    public void A_request_past_the_budget_still_gets_its_one_response_busy()
    {
        (SwarmEngine engine, QueueTransport transport, _) = Leecher(Options with { ControlMessageBurst = 3 });
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));

        for (ulong id = 1; id <= 3; id++) engine.OnMessage(PeerA, Request(id));

        List<Unavailable> answers = [.. transport.SentTo<Unavailable>(PeerA)];
        Assert.Equal([1UL, 2UL, 3UL], answers.Select(static answer => answer.RequestId));
        Assert.Equal([UnavailableReason.UnknownEpoch, UnavailableReason.UnknownEpoch, UnavailableReason.Busy], answers.Select(static answer => answer.Reason));
        Assert.Equal(1, engine.Scores.PenaltyCount(PeerA));
    }

    [Fact]
    public void A_peer_whose_queue_is_over_the_limit_is_answered_busy_without_a_penalty()
    {
        (SwarmEngine engine, QueueTransport transport, _) = Leecher(Options);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));
        transport.Queued = Options.MaxQueuedBytesPerPeer + 1;

        engine.OnMessage(PeerA, Request(9));

        Unavailable answer = Assert.Single(transport.SentTo<Unavailable>(PeerA));
        Assert.Equal(UnavailableReason.Busy, answer.Reason);
        Assert.Equal(0, engine.Scores.PenaltyCount(PeerA));
    }

    [Fact]
    public void A_busy_answer_is_not_taken_for_a_lie_and_the_chunk_is_asked_again_after_the_backoff()
    {
        (SwarmEngine engine, QueueTransport transport, VirtualClock clock) = Leecher(Options with { MaxPullsInFlight = 1 });
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        engine.OnPeerDisconnected(Seeder);
        ChunkId chunk = new KeyspacePartition(1).ChunkAt(3);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(chunk.Range)));
        engine.OnTick();
        GetStateData pull = Assert.Single(transport.SentTo<GetStateData>(PeerA));

        engine.OnMessage(PeerA, new Unavailable(pull.RequestId, UnavailableReason.Busy));
        clock.AdvanceTo(clock.Now + Options.BusyBackoff);
        engine.OnTick();

        Assert.Equal(0, engine.Scores.PenaltyCount(PeerA));
        Assert.Equal(2, transport.SentTo<GetStateData>(PeerA).Count(request => request.Chunk == chunk));
    }

    private static GetStateData Request(ulong id) => new(id, Anchor.BoundaryHash, Anchor.StateRoot, new KeyspacePartition(1).ChunkAt(0));

    private static (SwarmEngine Engine, QueueTransport Transport, VirtualClock Clock) Leecher(SwarmOptions options)
    {
        var transport = new QueueTransport();
        var clock = new VirtualClock();
        var engine = new SwarmEngine(options, new InMemoryKeyValueStore(), transport, clock);
        engine.OnEpochFinalized(Anchor);
        return (engine, transport, clock);
    }

    private static Status StatusOf(Role role, KeyRangeSet haves) =>
        new(1, 7, SwarmHarness.Genesis, default, default, default, role, new Epoch(Anchor.Number, Anchor.BoundaryHash, Anchor.StateRoot, 1), haves, []);

    private static void Connect(SwarmEngine engine, PeerHandle peer, Status status)
    {
        engine.OnPeerConnected(peer);
        engine.OnMessage(peer, status);
    }
}
