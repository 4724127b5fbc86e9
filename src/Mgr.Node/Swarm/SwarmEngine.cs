using Mgr.Node.Metrics;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>The MGR swarm engine (spec/swarm.md): a state machine driven by events — a peer connected or left, a
/// message arrived, a timer tick, a new finalized epoch — whose actions go out through <see cref="ISwarmTransport"/>
/// (send, disconnect) and into the store (verified chunks, code). A seeder rides its epoch and pushes chunks to peers
/// lacking them; a leecher verifies every chunk against its own finalized header's root, stores it atomically,
/// forwards it to peers lacking it, pulls gaps rarest first, rolls held chunks forward by verified diffs at an epoch
/// change, and, once everything is held, recomputes the root from its store before reporting synced and seeding.</summary>
/// <remarks>Concurrency: not thread-safe by design. Exactly one loop owns an engine and calls its <c>On…</c> methods
/// one at a time (<c>SwarmLoop</c> over real connections, the simulator's event queue in virtual time). The
/// transport must queue sends and deliver incoming messages later, never re-entering the engine. The store is written
/// only from that loop; <see cref="Counters"/> may be read from other threads.
/// <para>Its parts, each owned by the engine: <c>LeecherHoldings</c> (what is held), <c>PullPlanner</c> (what to pull,
/// from whom), <c>RollForward</c> (chunk diffs), <c>SeederRide</c> and <c>RideWatch</c> (the ride from either side),
/// <c>RequestBook</c> (requests in flight), <c>Announcer</c> (Status and Haves), <c>SwarmServer</c> (answers).</para></remarks>
public sealed class SwarmEngine
{
    private readonly SwarmOptions _options;
    private readonly IKeyValueStore _store;
    private readonly ISwarmTransport _transport;
    private readonly IClock _clock;
    private readonly SwarmMetrics? _metrics;
    private readonly PeerScoreBook _scores;
    private readonly Dictionary<PeerHandle, RemotePeer> _peers = [];
    private readonly RequestBook _requests = new();
    private readonly List<ChunkProducer> _producers = [];
    private readonly LeecherHoldings _holdings = new();
    private readonly Announcer _announcer;
    private readonly SeederRide _ride;
    private readonly RideWatch _rideWatch = new();
    private readonly PullPlanner _pulls;
    private readonly RollForward _rollForward;
    private Role _role;
    private EpochAnchor? _anchor;
    private EpochAnchor? _announced; // the epoch this leecher's Status last named: peers push it chunks of it until the next
    private int? _depth;
    private TimeSpan _lastTick;

    /// <summary>Creates an engine. A seeder's store must hold the full state of every epoch it is given.</summary>
    public SwarmEngine(SwarmOptions options, IKeyValueStore store, ISwarmTransport transport, IClock clock, SwarmMetrics? metrics = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _metrics = metrics;
        _scores = new PeerScoreBook(clock, options.Penalties);
        _role = options.Role;
        _lastTick = clock.Now;
        _ride = new SeederRide(options, transport, clock, Counters, metrics);
        _announcer = new Announcer(options, _holdings, _peers, Send);
        _pulls = new PullPlanner(options, _holdings, _requests, _rideWatch, _peers, options.TieBreakSeed ?? (ulong)Random.Shared.NextInt64(),
                                 Request, Counters);
        _rollForward = new RollForward(options, store, _holdings, _requests, _peers, clock, Request, Counters, metrics);
    }

    /// <summary>Current role: a leecher becomes a seeder once its state verified.</summary>
    public Role Role => _role;

    /// <summary>The latest finalized epoch this engine works on.</summary>
    public EpochAnchor? Anchor => _anchor;

    /// <summary>What this leecher holds (for tests and status).</summary>
    internal LeecherHoldings Holdings => _holdings;

    /// <summary>The chunk depth in use (selected by a seeder, adopted by a leecher), or null before one is known.</summary>
    public int? Depth => _depth;

    /// <summary>True once the state of <see cref="Anchor"/> verified from the store (always true for a seeder).</summary>
    public bool IsSynced => _role == Role.Seeder && _anchor is not null;

    /// <summary>Account keys held at the current root.</summary>
    public KeyRangeSet HeldAccounts => _role == Role.Seeder ? KeyRangeSet.Full : _holdings.Accounts;

    /// <summary>Running totals.</summary>
    public SwarmCounters Counters { get; } = new();

    /// <summary>Penalty scores and bans.</summary>
    public PeerScoreBook Scores => _scores;

    /// <summary>Connected peers that completed the Status exchange.</summary>
    public int ActivePeerCount => _peers.Values.Count(static peer => peer.Status is not null);

    /// <summary>Serves the state diffs of blocks the node holds in memory only (follow mode's layers); set on the loop.</summary>
    public Mgr.Node.Follow.StateDiffServer.LayerDiffLookup? LayerDiffs { get; set; }

    /// <summary>Where the current epoch stands (a fresh object per call).</summary>
    public SwarmProgress Progress() => new(_anchor, _role, HeldAccounts,
        _role == Role.Seeder ? 0 : _holdings.IncompleteStorageCount, _holdings.MissingCodes.Count, IsSynced)
    {
        StorageAccounts = _role == Role.Seeder ? 0 : _holdings.Storage.Count,
    };

    /// <summary>Connected peers that completed the Status exchange, for status displays.</summary>
    public IReadOnlyList<PeerView> PeerViews() =>
        [.. _peers.Values.Where(static peer => peer.Status is not null).Select(peer => new PeerView(peer.Handle,
            peer.Status!.Role, peer.Status.Role == Role.Seeder && peer.Status.Epoch is not null ? KeyRangeSet.Full : peer.Accounts,
            peer.BytesIn, peer.BytesOut, _scores.Score(peer.Handle)))];

    /// <summary>The key range of the chunk the ride is at: for a seeder the step it is pushing, for a leecher the
    /// furthest ride chunk that reached it (pushed or forwarded); null before a ride is known.</summary>
    public KeyRange? RideChunk() =>
        RideOrder() is { } ride && (_role == Role.Seeder ? _ride.Step : _rideWatch.FurthestStep) is { } step
            ? ride.Partition.ChunkAt(ride.IndexAt(step % ride.Partition.ChunkCount)).Range
            : null;

    /// <summary>The head and latest finalized block this node knows, sent in every later Status (untrusted by peers:
    /// used only for progress estimates).</summary>
    public void SetChainHead(BlockRef head, BlockRef finalized) => _announcer.SetChainHead(head, finalized);

    /// <summary>Per-peer bookkeeping, for tests that check it stays bounded.</summary>
    internal IReadOnlyCollection<RemotePeer> PeerStates => _peers.Values;

    /// <summary>Raised (on the loop) when the state of an epoch verified from the store.</summary>
    public event Action<EpochAnchor, StateVerification>? Synced;

    /// <summary>Raised (on the loop) for every penalty given: the peer, the violation, and whether it is now banned.</summary>
    public event Action<PeerHandle, ViolationReason, bool>? Penalized;

    /// <summary>Raised (on the loop) when a final verification failed; the engine starts the epoch over.</summary>
    public event Action<EpochAnchor, StateVerification>? VerificationFailed;

    /// <summary>A new finalized epoch boundary from the node's consensus driver. A seeder must already hold that state
    /// in its store, and may pass its <see cref="EpochIndex"/> built off the loop (it walks the whole state; otherwise
    /// it is built here); older anchors than the current one are ignored.</summary>
    public void OnEpochFinalized(EpochAnchor anchor, EpochIndex? index = null)
    {
        if (_anchor is { } current && anchor.Number <= current.Number) return;
        EpochAnchor? previous = _anchor;
        _anchor = anchor;
        _requests.ForgetChunks();
        _pulls.ForgetTooLarge();
        _ride.Reset();
        _rideWatch.Reset(_clock.Now);
        _metrics?.SetEpoch(anchor.Number);
        if (_options.Role == Role.Seeder)
        {
            StartSeeding(anchor, index);
            return;
        }
        _role = Role.Leecher;
        RecordAnchor(anchor);
        _holdings.BeginEpoch(previous, anchor);
        if (previous is null) Resume(anchor);
        _rollForward.Reset();
        _depth = null;
        _announcer.EpochAnnounced = false;
        AdoptDepth();
    }

    /// <summary>Asks <paramref name="peer"/> for block headers (GetBlockHeaders, spec/mgr-protocol.md §4.9) on behalf of
    /// the header sync. <paramref name="answer"/> is called exactly once, on the loop: with the header RLPs as sent
    /// (unchecked: the caller verifies them), or with null when the peer answered Unavailable, timed out or left.
    /// Returns false (and never calls <paramref name="answer"/>) when the peer has no open session.</summary>
    public bool RequestHeaders(PeerHandle peer, GetBlockHeaders query, Action<IReadOnlyList<ReadOnlyMemory<byte>>?> answer)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(answer);
        if (!_peers.TryGetValue(peer, out RemotePeer? remote) || remote.Status is null) return false;
        ulong id = _requests.NextId();
        Request(remote, id, new PendingRequest(peer, PendingKind.BlockHeaders, null, [], _clock.Now)
        {
            Answer = response => answer((response as BlockHeaders)?.Headers),
        }, query with { RequestId = id });
        return true;
    }

    /// <summary>Asks <paramref name="peer"/> for the state diff of <paramref name="block"/> (GetStateDiff, §4.11) on behalf
    /// of follow mode. <paramref name="answer"/> is called exactly once, on the loop, with the answer as sent (the caller
    /// checks the block and verifies the diff), or null when the peer answered Unavailable, timed out or left. Returns
    /// false (and never calls <paramref name="answer"/>) when the peer has no open session.</summary>
    public bool RequestStateDiff(PeerHandle peer, BlockRef block, Action<StateDiff?> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!_peers.TryGetValue(peer, out RemotePeer? remote) || remote.Status is null) return false;
        ulong id = _requests.NextId();
        Request(remote, id, new PendingRequest(peer, PendingKind.StateDiff, null, [], _clock.Now) { Answer = response => answer(response as StateDiff) },
                new GetStateDiff(id, block));
        return true;
    }

    /// <summary>The node holds the state of <paramref name="anchor"/> itself (it follows the chain by verified per-block
    /// diffs, spec/follow.md): the engine serves and rides that epoch as a seeder, whatever role it was configured with.
    /// <paramref name="index"/> is the epoch's index, built off the loop. Older anchors than the current one are ignored.</summary>
    public void OnEpochHeld(EpochAnchor anchor, EpochIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (_anchor is { } current && anchor.Number <= current.Number) return;
        _anchor = anchor;
        _requests.ForgetChunks();
        _pulls.ForgetTooLarge();
        _ride.Reset();
        _holdings.Clear(); // nothing here is rollable: the flat state follows the chain, not an epoch root
        _metrics?.SetEpoch(anchor.Number);
        _role = Role.Seeder;
        _announcer.EpochAnnounced = true;
        StartSeeding(anchor, index);
    }

    /// <summary>Peers that completed the Status exchange, with the head they claim (untrusted; for estimates only).</summary>
    public IReadOnlyList<(PeerHandle Peer, ulong ClaimedHead)> ActivePeers() =>
        [.. _peers.Values.Where(static peer => peer.Status is not null).Select(static peer => (peer.Handle, peer.Status!.Head.Number))];

    // A restarted leecher takes back what its store holds (SyncResume): nothing verified is downloaded twice.
    private void Resume(EpochAnchor anchor)
    {
        _holdings.Resume(SyncResume.Read(_store, anchor), anchor);
        Counters.ResumedCoverage = _holdings.Accounts.Coverage;
    }

    private void RecordAnchor(EpochAnchor anchor)
    {
        using IWriteBatch batch = _store.BeginBatch();
        EpochAnchorStore.Write(batch, anchor.StateRoot, anchor.Number, anchor.BoundaryHash);
        batch.Commit();
    }

    /// <summary>A session with <paramref name="peer"/> is open: sends Status (or refuses a banned peer).</summary>
    public void OnPeerConnected(PeerHandle peer)
    {
        if (_scores.IsBanned(peer))
        {
            _transport.Disconnect(peer, DisconnectReason.Banned);
            return;
        }
        _peers[peer] = new RemotePeer(peer);
        Send(peer, _announcer.StatusOf(_role, _anchor, _depth));
        CountPeers();
    }

    /// <summary>The session with <paramref name="peer"/> ended: its outstanding requests are retried elsewhere.</summary>
    public void OnPeerDisconnected(PeerHandle peer)
    {
        if (!_peers.Remove(peer)) return;
        foreach (PendingRequest request in _requests.TakeOf(peer)) request.Answer?.Invoke(null); // header callers hear null
        CountPeers();
    }

    /// <summary>The transport could not decode what <paramref name="peer"/> sent (framing or message violation).</summary>
    public void OnViolation(PeerHandle peer, ViolationReason reason) => Penalize(peer, reason);

    /// <summary>A decoded message from <paramref name="peer"/>.</summary>
    public void OnMessage(PeerHandle peer, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_peers.TryGetValue(peer, out RemotePeer? remote)) return;
        long size = message.EncodedLength();
        remote.BytesIn += size;
        Counters.CountIn(message.Code, size);
        _metrics?.BytesIn(message.Code, size);
        if (remote.Status is null && message is not Status)
        {
            Penalize(peer, ViolationReason.StatusExpected);
            return;
        }
        // Flood defence (issue 11): announcements and requests cost us work and memory, so each peer has a budget of
        // them (a token bucket, SwarmOptions.MaxControlMessagesPerSecond). Past it a request is answered Busy (it
        // still gets its one response), an announcement is dropped, and each excess message is a minor penalty, so a
        // flooding peer is banned after BanScore of them. Responses are not counted: unsolicited ones are penalized.
        if (message is Status or Haves or IRequest
            && !remote.TryTakeControlToken(_clock.Now, _options.MaxControlMessagesPerSecond, _options.ControlMessageBurst))
        {
            if (message is IRequest flooded) Send(peer, new Unavailable(flooded.RequestId, UnavailableReason.Busy));
            Penalize(peer, ViolationReason.TooManyRequests);
            return;
        }
        switch (message)
        {
            case Status status: OnStatus(remote, status); break;
            case Disconnect: OnPeerDisconnected(peer); break;
            case Haves haves:
                if (remote.Status?.Epoch is { } epoch && epoch.BoundaryHash == haves.EpochHash) remote.Add(haves);
                break;
            case IRequest request: OnRequest(remote, request); break;
            case StateData data: OnStateData(remote, data, size); break;
            case ChunkDiff diff: OnChunkDiff(remote, diff); break;
            case ByteCodes codes: OnByteCodes(remote, codes); break;
            case Unavailable unavailable: OnUnavailable(remote, unavailable); break;
            case BlockHeaders headers: OnAnswer(remote, headers.RequestId, PendingKind.BlockHeaders, headers); break;
            case StateDiff stateDiff: OnAnswer(remote, stateDiff.RequestId, PendingKind.StateDiff, stateDiff); break;
            case TrieNodes: Penalize(peer, ViolationReason.UnsolicitedResponse); break;
        }
    }

    /// <summary>True when the last tick (or <see cref="ContinueRide"/>) paused the ride with chunks still to push now
    /// (<see cref="SwarmOptions.RideBurstBytes"/>): the host calls <see cref="ContinueRide"/> once the events waiting for
    /// the loop are handled.</summary>
    public bool RideYielded { get; private set; }

    /// <summary>Pushes the ride's next burst, no time having passed since the tick (nothing unless <see cref="RideYielded"/>);
    /// returns <see cref="RideYielded"/> as it is then: true while more is left to push.</summary>
    public bool ContinueRide() => RideYielded = RideYielded && _role == Role.Seeder && Ride(TimeSpan.Zero);

    // One run of the ride over the current epoch; true when it paused after a burst with more to push.
    private bool Ride(TimeSpan elapsed) => _producers.Count > 0 && _depth is { } depth && _ride.Run(elapsed, _producers[0], depth, _peers.Values, Send);

    /// <summary>Timer: seeder ride, request timeouts, gap pulls, code pulls, Haves batches, completion.</summary>
    public void OnTick()
    {
        TimeSpan now = _clock.Now;
        TimeSpan elapsed = now - _lastTick;
        _lastTick = now;
        ExpireRequests(now);
        if (_role == Role.Seeder)
        {
            // Only a configured seeder rides. A leecher that synced serves pulls and diffs but pushes nothing of its
            // own: several riders would each push the same chunk to the same late joiner.
            RideYielded = _options.Role == Role.Seeder && Ride(elapsed);
            return;
        }
        if (_anchor is not { } anchor) return;
        AdoptDepth();
        if (_depth is { } depth)
        {
            if (_rollForward.IsDueToAnnounce(anchor)) AnnounceEpoch();
            _rollForward.Plan(anchor, depth);
            if (_announcer.EpochAnnounced) _pulls.Plan(now, anchor, depth);
        }
        _pulls.PlanCodes(now, anchor);
        _announcer.FlushHaves(_anchor, now, force: false);
        CompleteIfDone();
    }

    // ---------------------------------------------------------------- session

    private void OnStatus(RemotePeer remote, Status status)
    {
        if (_options.IncompatibilityOf(status) is { } incompatible)
        {
            _transport.Disconnect(remote.Handle, incompatible);
            OnPeerDisconnected(remote.Handle);
            return;
        }
        if (status.Epoch is { } epoch && _anchor is { } anchor && epoch.BoundaryHash == anchor.BoundaryHash && epoch.StateRoot != anchor.StateRoot)
        {
            Penalize(remote.Handle, ViolationReason.WrongRootForEpoch);
            return;
        }
        remote.Adopt(status);
        CountPeers();
        if (_role == Role.Leecher) AdoptDepth();
    }

    private void CountPeers()
    {
        if (_metrics is null) return;
        int seeders = _peers.Values.Count(static peer => peer.Status?.Role == Role.Seeder);
        int leechers = _peers.Values.Count(static peer => peer.Status?.Role == Role.Leecher);
        _metrics.SetPeers(seeders, leechers, _peers.Count - seeders - leechers);
    }

    private void BroadcastStatus() => _announcer.Broadcast(_role, _anchor, _depth);

    // ---------------------------------------------------------------- serving

    private void OnRequest(RemotePeer remote, IRequest request)
    {
        // A peer that does not read what we send cannot make us queue without bound: past the back-pressure limit
        // its requests are answered Busy (no penalty: our own pushes may have filled the queue). A chunk request is also
        // answered Busy while our uplink's whole backlog is long: another holder can answer sooner.
        if (_transport.QueuedBytes(remote.Handle) > _options.MaxQueuedBytesPerPeer || request is GetStateData && ServeBacklogFull())
        {
            Send(remote.Handle, new Unavailable(request.RequestId, UnavailableReason.Busy));
            return;
        }
        // A leecher serves the chunks it holds of the current epoch from its own store (each was stored with its proof
        // and its subtree as verification rebuilt it); diffs and older epochs only from epochs it verified completely.
        List<ChunkProducer> epochs = request is GetStateData && _role == Role.Leecher && _announcer.EpochAnnounced && _anchor is { } anchor && _depth is { } depth
            ? [_holdings.ChunkProducer(_store, anchor, depth), .. _producers]
            : _producers;
        var view = new ServingView(_store, epochs, chunk => _role == Role.Seeder || _holdings.CanServe(chunk), LayerDiffs);
        IResponse response;
        try
        {
            response = SwarmServer.Serve(view, request);
        }
        catch (ArgumentException)
        {
            Penalize(remote.Handle, ViolationReason.WrongType);
            return;
        }
        Send(remote.Handle, response);
    }

    // ---------------------------------------------------------------- seeder

    private void StartSeeding(EpochAnchor anchor, EpochIndex? index = null)
    {
        var nodes = new TrieNodeStore(_store);
        index ??= EpochIndex.Build(nodes, anchor.StateRoot, _options.TargetLeavesPerChunk);
        _producers.Insert(0, new ChunkProducer(nodes, anchor, index));
        if (_producers.Count > Limits.DiffWindowEpochs + 1) _producers.RemoveAt(_producers.Count - 1);
        _depth = index.Depth;
        _ride.Start();
        _metrics?.SetCoverage(1);
        BroadcastStatus();
    }

    // ---------------------------------------------------------------- leecher: receiving chunks

    private void OnStateData(RemotePeer remote, StateData data, long size)
    {
        bool solicited = data.RequestId != 0;
        if (solicited)
        {
            // A chunk that comes after its request timed out is still verified and kept.
            if (Match(remote, data.RequestId, PendingKind.StateData, out bool late) is null && !late) return;
        }
        if (_role == Role.Seeder || _anchor is not { } anchor) return;
        if (data.EpochHash != anchor.BoundaryHash)
        {
            if (!_announcer.EpochAnnounced && _announced is { } previous && data.EpochHash == previous.BoundaryHash) KeepPrevious(remote, data, previous, anchor);
            return;
        }
        remote.MarkHolds(data.Chunk.Account, data.Chunk.Range);
        if (!solicited) _rideWatch.Note(data.Chunk, RideOrder(), _clock.Now); // pushed by a seeder, or forwarded: the ride reached it
        if (_holdings.Holds(data.Chunk))
        {
            Counters.ChunksDuplicate++;
            Counters.DuplicateBytes += size;
            _metrics?.ChunkDuplicate();
            return;
        }
        if (_holdings.Add(_store, anchor, data) is not { } check || Rejected(remote, check)) return;
        Counters.ChunksVerified++;
        _metrics?.ChunkVerified(_holdings.Accounts.Coverage);
        _announcer.Have(data.Chunk, anchor, _clock.Now);
        if (!solicited && remote.IsSeederOf(anchor.BoundaryHash)) Forward(data, remote.Handle, anchor);
    }

    // A chunk of the epoch this leecher still announces, pushed (or pulled) before peers learnt it moved on: kept at that
    // root and rolled forward like the rest of what it held there, not dropped.
    private void KeepPrevious(RemotePeer remote, StateData data, EpochAnchor previous, EpochAnchor anchor)
    {
        if (_holdings.AddPrevious(_store, previous, anchor, data) is not { } check || Rejected(remote, check)) return;
        Counters.ChunksKeptForRolling++;
        _announcer.HavePrevious(data.Chunk, previous);
    }

    // True, counted and the sender penalized, when a chunk failed verification.
    private bool Rejected(RemotePeer remote, ChunkCheck check)
    {
        if (check.IsValid) return false;
        Counters.ChunksRejected++;
        _metrics?.ChunkRejected();
        Penalize(remote.Handle, check.Fault == ChunkFault.WrongRoot ? ViolationReason.WrongRootForEpoch : ViolationReason.InvalidProof);
        return true;
    }

    // The ride of the current epoch at the depth in use; null before both are known.
    private RideOrder? RideOrder() =>
        _depth is { } depth && _anchor is { } anchor ? anchor.RideAt(depth) : null;

    private void Forward(StateData data, PeerHandle sender, EpochAnchor anchor)
    {
        StateData push = data;
        foreach (RemotePeer target in SeederRide.Lacking(_peers.Values, anchor.BoundaryHash, data.Chunk, sender)
                     .Where(peer => _transport.QueuedBytes(peer.Handle) <= _options.MaxQueuedBytesPerPeer)
                     .Take(_options.ForwardFanOut))
        {
            Send(target.Handle, push);
            target.MarkHolds(data.Chunk.Account, data.Chunk.Range);
            Counters.ChunksForwarded++;
        }
    }

    // ---------------------------------------------------------------- leecher: roll-forward and pulls

    private void OnChunkDiff(RemotePeer remote, ChunkDiff diff)
    {
        if (Match(remote, diff.RequestId, PendingKind.ChunkDiff, out _) is not { } request || _anchor is not { } anchor) return;
        switch (_rollForward.Apply(diff, request, anchor))
        {
            case RollOutcome.Rolled:
                Counters.ChunksRolledForward++;
                _metrics?.ChunkRolledForward(_holdings.Accounts.Coverage);
                _announcer.Have(diff.Chunk, anchor, _clock.Now);
                break;
            case RollOutcome.Invalid:
                Counters.ChunksRejected++;
                _metrics?.ChunkRejected();
                Penalize(remote.Handle, ViolationReason.InvalidChunkDiff);
                break;
        }
    }

    private void AnnounceEpoch()
    {
        if (_announcer.EpochAnnounced || _depth is null) return;
        _announcer.EpochAnnounced = true;
        _announced = _anchor;
        _rideWatch.Reset(_clock.Now); // nothing of the epoch could be pushed to us before: the idle wait starts now
        BroadcastStatus();
    }

    private void AdoptDepth()
    {
        if (_depth is not null || _anchor is not { } anchor) return;
        if (_pulls.AgreedDepth(anchor) is not { } depth) return;
        _depth = depth;
        if (!_holdings.AnythingToRoll) AnnounceEpoch();
    }

    private void OnByteCodes(RemotePeer remote, ByteCodes codes)
    {
        if (codes.RequestId == 0 || Match(remote, codes.RequestId, PendingKind.ByteCodes, out _) is not { } request) return;
        foreach (Hash256 stored in LeecherStore.CommitCodes(_store, codes.Codes, _holdings.MissingCodes)) _holdings.MissingCodes.Remove(stored);
    }

    // The answer to a request made on behalf of the header sync or follow mode goes to its caller, unchecked.
    private void OnAnswer(RemotePeer remote, ulong id, PendingKind kind, IResponse response)
    {
        if (Match(remote, id, kind, out _) is { } request) request.Answer?.Invoke(response);
    }

    // True when more than MaxServeBacklogBytes is queued towards all peers together (never, when that is 0).
    private bool ServeBacklogFull()
    {
        if (_options.MaxServeBacklogBytes <= 0) return false;
        long queued = 0;
        foreach (PeerHandle peer in _peers.Keys) queued += _transport.QueuedBytes(peer);
        return queued > _options.MaxServeBacklogBytes;
    }

    private void OnUnavailable(RemotePeer remote, Unavailable unavailable)
    {
        if (Match(remote, unavailable.RequestId, null, out _) is not { } request) return;
        if (request.Kind == PendingKind.StateData && unavailable.Reason == UnavailableReason.Busy) remote.BusyUntil = _clock.Now + _options.BusyBackoff;
        if (request.Kind is PendingKind.BlockHeaders or PendingKind.StateDiff)
        {
            request.Answer?.Invoke(null);
            return;
        }
        if (request.Chunk is not { } chunk || unavailable.Reason == UnavailableReason.Busy) return; // busy is no lie: retry later
        if (request.Kind == PendingKind.ChunkDiff)
        {
            _rollForward.Refused(chunk, remote.Handle); // another seeder may serve it; if none will, it is pulled
            return;
        }
        if (_pulls.Refused(remote, chunk, unavailable.Reason, _anchor)) Penalize(remote.Handle, ViolationReason.AnnouncedButUnavailable);
    }

    // ---------------------------------------------------------------- leecher: completion

    private void CompleteIfDone()
    {
        if (_anchor is not { } anchor || !_announcer.EpochAnnounced || !_holdings.IsComplete) return;
        StateVerification verification = StateRootVerifier.Verify(_store, anchor.StateRoot);
        if (!verification.IsValid)
        {
            VerificationFailed?.Invoke(anchor, verification);
            using (IWriteBatch batch = _store.BeginBatch())
            {
                SyncProgressStore.Clear(_store, batch, anchor.StateRoot); // what failed is not trusted after a restart either
                batch.Commit();
            }
            _holdings.Clear();
            return;
        }
        _announcer.FlushHaves(anchor, _clock.Now, force: true);
        Counters.SyncedAt ??= _clock.Now;
        _metrics?.Synced(_clock.Now);
        _role = Role.Seeder;
        StartSeeding(anchor);
        Synced?.Invoke(anchor, verification);
    }

    // ---------------------------------------------------------------- requests, penalties, sending

    private void Request(RemotePeer peer, ulong id, PendingRequest pending, IRequest request)
    {
        _requests.Add(id, pending);
        Send(peer.Handle, request);
    }

    // Matches a response to the request it answers (same peer, and same kind when given) and takes it off the book. A response to
    // no outstanding request is dropped with a minor penalty (spec/mgr-protocol.md §1), unless it answers one of ours
    // that timed out lately (late: the timeout was penalty enough). Null when nothing matched.
    private PendingRequest? Match(RemotePeer remote, ulong id, PendingKind? kind, out bool late)
    {
        late = false;
        if (_requests.TryTake(id, remote.Handle, kind, out PendingRequest request)) return request;
        late = _requests.TakeLate(id, remote.Handle);
        if (late) Counters.LateResponses++;
        else Penalize(remote.Handle, ViolationReason.UnsolicitedResponse);
        return null;
    }

    private void ExpireRequests(TimeSpan now)
    {
        foreach (PendingRequest request in _requests.TakeSentBefore(now - _options.RequestTimeout))
        {
            request.Answer?.Invoke(null);
            if (request.Kind == PendingKind.ChunkDiff && request.Chunk is { } chunk) _rollForward.Refused(chunk, request.Peer);
            // Withholding defence: do not ask a peer that let a request time out for that chunk again (until it
            // announces it again), or a peer that announces everything and answers nothing pins the chunk.
            if (request.Chunk is { } asked && _peers.TryGetValue(request.Peer, out RemotePeer? silent)) silent.Forget(asked);
            Penalize(request.Peer, ViolationReason.Timeout);
        }
    }

    private void Penalize(PeerHandle peer, ViolationReason reason)
    {
        Counters.PenaltiesGiven++;
        _metrics?.Penalty(reason);
        bool banned = _scores.Penalize(peer, PenaltyTable.For(reason));
        Penalized?.Invoke(peer, reason, banned);
        if (!banned) return;
        DisconnectReason disconnect = PenaltyTable.DisconnectFor(reason) ?? (PenaltyTable.For(reason) == Penalty.Serious ? DisconnectReason.BadData : DisconnectReason.Banned);
        _transport.Disconnect(peer, disconnect);
        OnPeerDisconnected(peer);
    }

    private long Send(PeerHandle peer, IMessage message)
    {
        long size = message.EncodedLength();
        if (_peers.TryGetValue(peer, out RemotePeer? remote)) remote.BytesOut += size;
        Counters.CountOut(message.Code, size);
        _metrics?.BytesOut(message.Code, size);
        _transport.Send(peer, message);
        return size;
    }
}
