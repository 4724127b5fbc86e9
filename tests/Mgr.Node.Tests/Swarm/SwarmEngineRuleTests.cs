using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Tests.Swarm;

public sealed class SwarmEngineRuleTests
{
    private static readonly TestState State = SwarmEngineSimulationTests.SmallState(3);
    private static readonly InMemoryKeyValueStore SeederStore = CreateSeederStore();
    private static readonly EpochAnchor Anchor = SwarmHarness.Anchor(1, State.Root);
    private static readonly ChunkProducer Producer = new(new TrieNodeStore(SeederStore), Anchor, EpochIndex.Build(new TrieNodeStore(SeederStore), State.Root));
    private static readonly SwarmOptions Options = new() { GenesisHash = SwarmHarness.Genesis, NetworkId = 7, PullAfterIdle = TimeSpan.Zero };

    private static readonly PeerHandle Seeder = new(100), PeerA = new(101), PeerB = new(102);

    private static InMemoryKeyValueStore CreateSeederStore()
    {
        var store = new InMemoryKeyValueStore();
        State.CopyTo(store);
        return store;
    }

    private static Status StatusOf(Role role, KeyRangeSet haves, ulong networkId = 7, IReadOnlyList<StorageHave>? storage = null) =>
        new(1, networkId, SwarmHarness.Genesis, default, default, default, role,
            new Epoch(Anchor.Number, Anchor.BoundaryHash, Anchor.StateRoot, Producer.Index.Depth), haves, storage ?? []);

    // Adopts the epoch's depth from a seeder's Status, then loses that seeder: only leechers remain.
    private static void AdoptDepthAndDropSeeder(SwarmEngine engine)
    {
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        engine.OnPeerDisconnected(Seeder);
    }

    private static ChunkId AccountChunk(ulong index) => new KeyspacePartition(Producer.Index.Depth).ChunkAt(index);

    private static (SwarmEngine Engine, RecordingTransport Transport, VirtualClock Clock) Leecher(SwarmOptions? options = null)
    {
        var transport = new RecordingTransport();
        var clock = new VirtualClock();
        var engine = new SwarmEngine(options ?? Options, new InMemoryKeyValueStore(), transport, clock);
        engine.OnEpochFinalized(Anchor);
        return (engine, transport, clock);
    }

    // A leecher whose one pull, of account chunk 6 from PeerA, has just timed out.
    private static (SwarmEngine Engine, RecordingTransport Transport, GetStateData Request) WithTimedOutPull()
    {
        (SwarmEngine engine, RecordingTransport transport, VirtualClock clock) = Leecher(Options with { MaxPullsInFlight = 1 });
        AdoptDepthAndDropSeeder(engine);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(AccountChunk(6).Range)));
        engine.OnTick();
        GetStateData request = Assert.Single(transport.SentTo<GetStateData>(PeerA));
        clock.AdvanceTo(clock.Now + Options.RequestTimeout + TimeSpan.FromSeconds(1));
        engine.OnTick();
        return (engine, transport, request);
    }

    private static void Connect(SwarmEngine engine, PeerHandle peer, Status status)
    {
        engine.OnPeerConnected(peer);
        engine.OnMessage(peer, status);
    }

    [Fact]
    public void The_ride_chunk_is_the_seeders_step_and_for_a_leecher_the_furthest_step_pushed_to_it()
    {
        RideOrder ride = new KeyspacePartition(Producer.Index.Depth).RideFrom(Anchor.StartKey);
        var seeder = new SwarmEngine(Options with { Role = Role.Seeder, RideStartDelay = TimeSpan.Zero }, SeederStore, new RecordingTransport(), new VirtualClock());
        seeder.OnEpochFinalized(Anchor);
        Assert.Equal(ride.Partition.ChunkAt(ride.IndexAt(0)).Range, seeder.RideChunk());

        (SwarmEngine leecher, _, _) = Leecher();
        Assert.Null(leecher.RideChunk()); // no depth yet
        Connect(leecher, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Assert.Null(leecher.RideChunk()); // nothing pushed yet
        ChunkId third = ride.Partition.ChunkAt(ride.IndexAt(3)), first = ride.Partition.ChunkAt(ride.IndexAt(1));
        leecher.OnMessage(Seeder, Producer.TryProduce(third)!);
        leecher.OnMessage(Seeder, Producer.TryProduce(first)!);
        Assert.Equal(third.Range, leecher.RideChunk());
    }

    [Fact]
    public void A_seeder_pushes_only_to_peers_whose_have_set_lacks_the_chunk()
    {
        var transport = new RecordingTransport();
        var engine = new SwarmEngine(Options with { Role = Role.Seeder, PushFanOut = 2, RideStartDelay = TimeSpan.Zero }, SeederStore, transport, new VirtualClock());
        engine.OnEpochFinalized(Anchor);
        KeyRangeSet half = KeyRangeSet.Of(new KeyRange(AccountChunk(0).Range.Start, AccountChunk(7).Range.End));
        StorageHave[] allStorage = [.. Producer.Index.External.Select(static storage => new StorageHave(storage.Account, KeyRangeSet.Full))];
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Full, storage: allStorage));
        Connect(engine, PeerB, StatusOf(Role.Leecher, half));

        engine.OnTick();

        Assert.Empty(transport.SentTo<StateData>(PeerA));
        List<StateData> toB = [.. transport.SentTo<StateData>(PeerB)];
        Assert.NotEmpty(toB);
        Assert.All(toB, data => Assert.False(half.Contains(data.Chunk.IsStorage ? data.Chunk.Account!.Value : data.Chunk.Path)));
        Assert.Equal(8, toB.Count(static data => !data.Chunk.IsStorage));
    }

    [Fact]
    public void A_leecher_forwards_a_pushed_chunk_to_peers_lacking_it_and_never_to_a_holder()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        ChunkId chunk = AccountChunk(3);
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(chunk.Range)));
        Connect(engine, PeerB, StatusOf(Role.Leecher, KeyRangeSet.Empty));
        transport.Sent.Clear();

        engine.OnMessage(Seeder, Producer.TryProduce(chunk)!);

        Assert.Equal(1, engine.Counters.ChunksVerified);
        Assert.Equal([chunk], transport.SentTo<StateData>(PeerB).Select(static data => data.Chunk));
        Assert.Empty(transport.SentTo<StateData>(PeerA));
        Assert.Empty(transport.SentTo<StateData>(Seeder));
    }

    [Fact]
    public void A_seeder_rides_no_further_while_more_than_its_total_backlog_limit_is_queued()
    {
        var transport = new RecordingTransport { Queued = 2_000 };
        var engine = new SwarmEngine(Options with { Role = Role.Seeder, RideStartDelay = TimeSpan.Zero, MaxQueuedBytesTotal = 1_000 },
                                     SeederStore, transport, new VirtualClock());
        engine.OnEpochFinalized(Anchor);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));

        engine.OnTick();
        Assert.Empty(transport.SentTo<StateData>(PeerA));

        transport.Queued = 0;
        engine.OnTick();
        Assert.NotEmpty(transport.SentTo<StateData>(PeerA));
    }

    [Fact]
    public void A_leecher_serves_a_chunk_it_holds_from_its_own_store_and_refuses_one_it_lacks()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        ChunkId held = AccountChunk(3), lacking = AccountChunk(4);
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));
        engine.OnMessage(Seeder, Producer.TryProduce(held)!);
        engine.OnTick();

        engine.OnMessage(PeerA, new GetStateData(7, Anchor.BoundaryHash, Anchor.StateRoot, held));
        engine.OnMessage(PeerA, new GetStateData(8, Anchor.BoundaryHash, Anchor.StateRoot, lacking));

        StateData served = Assert.Single(transport.SentTo<StateData>(PeerA), static data => data.RequestId == 7);
        Assert.True(ChunkVerifier.Verify(served, Anchor.StateRoot).IsValid);
        Assert.Equal(Producer.TryProduce(held, 7)!.Accounts.Select(static entry => entry.AccountHash), served.Accounts.Select(static entry => entry.AccountHash));
        Assert.Equal(UnavailableReason.UnknownEpoch, Assert.Single(transport.SentTo<Unavailable>(PeerA), static answer => answer.RequestId == 8).Reason);
    }

    [Fact]
    public void A_chunk_request_is_answered_busy_while_the_whole_uplink_backlog_is_over_the_serve_limit()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher(Options with { MaxServeBacklogBytes = 1_000 });
        ChunkId held = AccountChunk(3);
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));
        engine.OnMessage(Seeder, Producer.TryProduce(held)!);
        engine.OnTick();

        transport.Queued = 600; // per peer: 1,200 bytes towards the two peers together
        engine.OnMessage(PeerA, new GetStateData(7, Anchor.BoundaryHash, Anchor.StateRoot, held));
        transport.Queued = 400;
        engine.OnMessage(PeerA, new GetStateData(8, Anchor.BoundaryHash, Anchor.StateRoot, held));

        Assert.Equal(UnavailableReason.Busy, Assert.Single(transport.SentTo<Unavailable>(PeerA)).Reason);
        Assert.Equal(8UL, Assert.Single(transport.SentTo<StateData>(PeerA), static data => data.RequestId != 0).RequestId); // 0: a forward
        Assert.Equal(0, engine.Counters.PenaltiesGiven);
    }

    [Fact]
    public void A_holder_that_answered_busy_is_not_asked_for_chunks_again_until_the_backoff_has_passed()
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(300);
        (SwarmEngine engine, RecordingTransport transport, VirtualClock clock) = Leecher(Options with { MaxPullsInFlight = 1, BusyBackoff = backoff });
        AdoptDepthAndDropSeeder(engine);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(AccountChunk(6).Range)));
        engine.OnTick();
        GetStateData first = Assert.Single(transport.SentTo<GetStateData>(PeerA));
        transport.Sent.Clear();

        engine.OnMessage(PeerA, new Unavailable(first.RequestId, UnavailableReason.Busy));
        clock.AdvanceTo(clock.Now + backoff - TimeSpan.FromMilliseconds(1));
        engine.OnTick();
        Assert.Empty(transport.SentTo<GetStateData>(PeerA));

        clock.AdvanceTo(clock.Now + TimeSpan.FromMilliseconds(1));
        engine.OnTick();
        Assert.Equal(AccountChunk(6), Assert.Single(transport.SentTo<GetStateData>(PeerA)).Chunk);
    }

    [Fact]
    public void A_leecher_with_no_seeder_connected_adopts_the_depth_the_leechers_on_its_epoch_announce()
    {
        (SwarmEngine engine, _, _) = Leecher();

        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Empty));

        Assert.Equal(Producer.Index.Depth, engine.Depth);
    }

    [Fact]
    public void Gaps_are_pulled_rarest_first_and_from_peers_that_hold_them()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher(Options with { MaxPullsInFlight = 2 });
        AdoptDepthAndDropSeeder(engine);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.From([AccountChunk(0).Range, AccountChunk(1).Range])));
        Connect(engine, PeerB, StatusOf(Role.Leecher, KeyRangeSet.From([AccountChunk(0).Range, AccountChunk(2).Range])));
        transport.Sent.Clear();

        engine.OnTick();

        var requests = transport.Sent.Where(static entry => entry.Message is GetStateData)
                                     .Select(static entry => (entry.Peer, ((GetStateData)entry.Message).Chunk)).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains((PeerA, AccountChunk(1)), requests);
        Assert.Contains((PeerB, AccountChunk(2)), requests);
    }

    [Theory]
    [InlineData(1UL, 2UL)]
    [InlineData(3UL, 4UL)]
    public void In_key_order_equally_rare_chunks_are_pulled_consecutively_from_a_starting_key_of_each_nodes_own(ulong seed, ulong otherSeed)
    {
        ulong count = new KeyspacePartition(Producer.Index.Depth).ChunkCount;
        ulong[] First(ulong tieBreak)
        {
            (SwarmEngine engine, RecordingTransport transport, _) =
                Leecher(Options with { PullInKeyOrder = true, TieBreakSeed = tieBreak, MaxPullsInFlight = 3, MaxPullsPerPeer = 3 });
            AdoptDepthAndDropSeeder(engine);
            Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Full));
            engine.OnTick();
            var partition = new KeyspacePartition(Producer.Index.Depth);
            return [.. transport.SentTo<GetStateData>(PeerA).Select(request => partition.IndexOf(request.Chunk.Path))];
        }

        ulong[] pulled = First(seed), other = First(otherSeed);

        Assert.Equal(3, pulled.Length);
        Assert.Equal([pulled[0], (pulled[0] + 1) % count, (pulled[0] + 2) % count], pulled);
        Assert.Equal([other[0], (other[0] + 1) % count, (other[0] + 2) % count], other);
        Assert.NotEqual(pulled[0], other[0]);
    }

    [Fact]
    public void A_peer_that_synced_alongside_is_pulled_from_while_the_ride_goes_on_but_a_riding_seeder_is_not()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher(Options with { MaxPullsPerPeer = 2, MaxPullsInFlight = 8 });
        PeerHandle finished = PeerA, joinedSynced = PeerB;
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, finished, StatusOf(Role.Leecher, KeyRangeSet.Of(AccountChunk(0).Range)));
        engine.OnMessage(finished, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, joinedSynced, StatusOf(Role.Seeder, KeyRangeSet.Full));
        engine.OnMessage(Seeder, Producer.TryProduce(AccountChunk(3), 0)!); // the ride pushed to us just now
        transport.Sent.Clear();

        engine.OnTick();

        // Within SeederPullAfterIdle of a push, seeders are not asked: only the one that was a leecher of this epoch
        // (it does not ride), up to its per-peer limit.
        Assert.Equal(2, transport.SentTo<GetStateData>(finished).Count());
        Assert.Empty(transport.SentTo<GetStateData>(Seeder));
        Assert.Empty(transport.SentTo<GetStateData>(joinedSynced));
    }

    [Fact]
    public void In_the_endgame_a_slow_request_is_asked_of_a_second_holder_and_the_later_answer_is_a_duplicate_without_penalty()
    {
        SwarmOptions options = Options with { MaxPullsPerPeer = 1, MaxPullsInFlight = 4, EndgameChunks = 1_000, EndgameAfter = TimeSpan.FromMilliseconds(100) };
        (SwarmEngine engine, RecordingTransport transport, VirtualClock clock) = Leecher(options);
        AdoptDepthAndDropSeeder(engine);
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(AccountChunk(6).Range)));
        Connect(engine, PeerB, StatusOf(Role.Leecher, KeyRangeSet.Of(AccountChunk(6).Range)));
        transport.Sent.Clear();

        engine.OnTick();
        (PeerHandle firstPeer, GetStateData first) = Assert.Single(transport.Sent.Where(static entry => entry.Message is GetStateData)
                                                                       .Select(static entry => (entry.Peer, (GetStateData)entry.Message)));
        clock.AdvanceTo(clock.Now + TimeSpan.FromMilliseconds(50));
        engine.OnTick();
        Assert.Single(transport.Sent, static entry => entry.Message is GetStateData); // not yet: the request is young

        clock.AdvanceTo(clock.Now + TimeSpan.FromMilliseconds(100));
        engine.OnTick();
        engine.OnTick();
        PeerHandle secondPeer = firstPeer == PeerA ? PeerB : PeerA;
        GetStateData second = Assert.Single(transport.SentTo<GetStateData>(secondPeer));
        Assert.Equal(first.Chunk, second.Chunk);
        Assert.Equal(1, engine.Counters.EndgameRequests);

        engine.OnMessage(secondPeer, Producer.TryProduce(second.Chunk, second.RequestId)!);
        engine.OnMessage(firstPeer, Producer.TryProduce(first.Chunk, first.RequestId)!);
        Assert.Equal(1, engine.Counters.ChunksVerified);
        Assert.Equal(1, engine.Counters.ChunksDuplicate);
        Assert.Equal(0, engine.Scores.Score(PeerA));
        Assert.Equal(0, engine.Scores.Score(PeerB));
        Assert.Equal(0, engine.Counters.PenaltiesGiven);
    }

    [Fact]
    public void A_peer_sending_corrupted_chunks_is_penalized_and_then_banned()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Full));

        engine.OnMessage(PeerA, Corrupt(Producer.TryProduce(AccountChunk(4))!));
        Assert.Equal(1, engine.Counters.ChunksRejected);
        Assert.Equal(0, engine.Counters.ChunksVerified);
        Assert.Empty(transport.Disconnected);
        Assert.Equal(10, engine.Scores.Score(PeerA));

        engine.OnMessage(PeerA, Corrupt(Producer.TryProduce(AccountChunk(5))!));
        Assert.Equal([(PeerA, DisconnectReason.BadData)], transport.Disconnected);
        Assert.True(engine.Scores.IsBanned(PeerA));

        engine.OnPeerConnected(PeerA);
        Assert.Equal((PeerA, DisconnectReason.Banned), transport.Disconnected[^1]);
    }

    [Fact]
    public void A_peer_on_another_network_is_disconnected()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        Connect(engine, PeerA, StatusOf(Role.Seeder, KeyRangeSet.Full, networkId: 8));
        Assert.Equal([(PeerA, DisconnectReason.IncompatibleNetwork)], transport.Disconnected);
        Assert.Equal(0, engine.ActivePeerCount);
    }

    [Fact]
    public void An_unsolicited_response_costs_a_minor_penalty()
    {
        (SwarmEngine engine, _, _) = Leecher();
        Connect(engine, PeerA, StatusOf(Role.Seeder, KeyRangeSet.Full));
        engine.OnMessage(PeerA, Producer.TryProduce(AccountChunk(1), requestId: 99)!);
        Assert.Equal(1, engine.Scores.Score(PeerA));
        Assert.Equal(0, engine.Counters.ChunksVerified);
    }

    [Fact]
    public void A_request_that_times_out_is_penalized_and_retried_only_once_the_peer_announces_the_chunk_again()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = WithTimedOutPull();
        engine.OnTick();

        Assert.Equal(1, engine.Scores.Score(PeerA));
        Assert.Single(transport.SentTo<GetStateData>(PeerA));

        engine.OnMessage(PeerA, new Haves(Anchor.BoundaryHash, KeyRangeSet.Of(AccountChunk(6).Range), []));
        engine.OnTick();

        Assert.Equal(2, transport.SentTo<GetStateData>(PeerA).Count());
    }

    [Fact]
    public void A_chunk_that_comes_after_its_request_timed_out_is_kept_and_costs_only_the_timeout()
    {
        (SwarmEngine engine, _, GetStateData request) = WithTimedOutPull();

        StateData late = Producer.TryProduce(request.Chunk, request.RequestId)!;
        engine.OnMessage(PeerA, late);

        Assert.Equal(1, engine.Scores.Score(PeerA));
        Assert.Equal(1, engine.Counters.LateResponses);
        Assert.Equal(1, engine.Counters.ChunksVerified);

        engine.OnMessage(PeerA, late); // a second answer to the same request is unsolicited
        Assert.Equal(2, engine.Scores.Score(PeerA));
    }

    [Fact]
    public void A_ride_pauses_after_each_burst_and_its_continuations_push_what_one_unpaused_tick_pushes()
    {
        KeyRangeSet half = KeyRangeSet.Of(new KeyRange(AccountChunk(0).Range.Start, AccountChunk(7).Range.End));
        SwarmOptions seeder = Options with { Role = Role.Seeder, PushFanOut = 1, RideStartDelay = TimeSpan.Zero, MaxQueuedBytesPerPeer = long.MaxValue };
        List<ChunkId> Ride(long burst, out int ticksPaused)
        {
            var transport = new RecordingTransport();
            var engine = new SwarmEngine(seeder with { RideBurstBytes = burst }, SeederStore, transport, new VirtualClock());
            engine.OnEpochFinalized(Anchor);
            Connect(engine, PeerB, StatusOf(Role.Leecher, half));
            engine.OnTick();
            ticksPaused = 0;
            for (int pushed = transport.SentTo<StateData>(PeerB).Count(); engine.RideYielded; pushed = transport.SentTo<StateData>(PeerB).Count())
            {
                Assert.Equal(1, pushed - ticksPaused); // a burst of one byte ends after each chunk
                ticksPaused++;
                engine.ContinueRide();
            }
            return [.. transport.SentTo<StateData>(PeerB).Select(static data => data.Chunk)];
        }

        List<ChunkId> whole = Ride(0, out int unpaused);
        List<ChunkId> bursts = Ride(1, out int paused);

        Assert.Equal(0, unpaused);
        Assert.Equal(whole, bursts);
        Assert.Equal(whole.Count, paused);
    }

    [Fact]
    public void A_leecher_that_moved_on_keeps_chunks_of_the_epoch_it_still_announces_and_tells_its_peers()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full)); // depth adopted: epoch 1 announced
        engine.OnEpochFinalized(SwarmHarness.Anchor(2, State.Root)); // epoch 2 begins; its seeder has not appeared
        ChunkId kept = AccountChunk(3), corrupt = AccountChunk(4);

        engine.OnMessage(Seeder, Producer.TryProduce(kept)!);
        engine.OnMessage(Seeder, Producer.TryProduce(kept)!); // the same chunk again: already kept
        engine.OnMessage(Seeder, Corrupt(Producer.TryProduce(corrupt)!));

        Assert.Equal(1, engine.Counters.ChunksKeptForRolling);
        Assert.Equal(1, engine.Counters.ChunksRejected);
        Haves told = Assert.Single(transport.SentTo<Haves>(Seeder));
        Assert.Equal(Anchor.BoundaryHash, told.EpochHash);
        Assert.Equal(KeyRangeSet.Of(kept.Range), told.Accounts);
        Assert.Equal(Anchor, engine.Holdings.Rollable.FromOf(kept.Range));
        Assert.True(engine.Holdings.AnythingToRoll);
    }

    [Fact]
    public void Storage_of_the_epoch_a_leecher_still_announces_is_kept_unconfirmed_once_its_account_is_kept()
    {
        (SwarmEngine engine, RecordingTransport transport, _) = Leecher();
        Connect(engine, Seeder, StatusOf(Role.Seeder, KeyRangeSet.Full));
        engine.OnEpochFinalized(SwarmHarness.Anchor(2, State.Root));
        var accounts = new KeyspacePartition(Producer.Index.Depth);
        ExternalStorage contract = Producer.Index.External.First();
        ExternalStorage other = Producer.Index.External.First(storage => accounts.IndexOf(storage.Account) != accounts.IndexOf(contract.Account));
        ChunkId slots = new KeyspacePartition(contract.Depth, contract.Account).ChunkAt(0);

        engine.OnMessage(Seeder, Producer.TryProduce(slots)!); // its account's leaf is not known yet: not kept
        engine.OnMessage(Seeder, Producer.TryProduce(accounts.ChunkAt(accounts.IndexOf(contract.Account)))!);
        engine.OnMessage(Seeder, Producer.TryProduce(slots)!);
        engine.OnMessage(Seeder, Producer.TryProduce(new KeyspacePartition(other.Depth, other.Account).ChunkAt(0))!);

        Assert.Equal(2, engine.Counters.ChunksKeptForRolling);
        StorageProgress progress = engine.Holdings.Storage[contract.Account];
        Assert.Equal(KeyRangeSet.Of(slots.Range), progress.Unconfirmed);
        Assert.True(progress.Held.IsEmpty);
        Assert.Contains(transport.SentTo<Haves>(Seeder), haves => haves.EpochHash == Anchor.BoundaryHash && haves.Storage.Any(entry => entry.Account == contract.Account));
    }

    [Fact]
    public void Forwarded_ride_chunks_keep_a_leecher_from_counting_as_idle()
    {
        (SwarmEngine engine, RecordingTransport transport, VirtualClock clock) = Leecher(Options with { PullAfterIdle = TimeSpan.FromSeconds(1) });
        AdoptDepthAndDropSeeder(engine); // announces the epoch: the idle wait starts then
        RideOrder ride = Anchor.RideAt(Producer.Index.Depth);
        ChunkId forwarded = ride.Partition.ChunkAt(ride.IndexAt(1)), wanted = ride.Partition.ChunkAt(ride.IndexAt(2));
        Connect(engine, PeerA, StatusOf(Role.Leecher, KeyRangeSet.Of(wanted.Range)));

        clock.AdvanceTo(clock.Now + TimeSpan.FromSeconds(0.9));
        engine.OnMessage(PeerA, Producer.TryProduce(forwarded)!); // unsolicited from a leecher: a forward of the ride
        clock.AdvanceTo(clock.Now + TimeSpan.FromSeconds(0.9));
        engine.OnTick();
        Assert.Empty(transport.SentTo<GetStateData>(PeerA)); // 1.8 s since the announcement, 0.9 s since the forward

        clock.AdvanceTo(clock.Now + TimeSpan.FromSeconds(0.2));
        engine.OnTick();
        Assert.Equal(wanted, Assert.Single(transport.SentTo<GetStateData>(PeerA)).Chunk);
    }

    internal static StateData Corrupt(StateData data)
    {
        AccountEntry[] accounts = [.. data.Accounts];
        accounts[0] = accounts[0] with { Value = accounts[1].Value };
        return data with { Accounts = accounts };
    }
}
