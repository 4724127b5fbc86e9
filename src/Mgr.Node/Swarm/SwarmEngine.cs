using Mgr.Node.Metrics;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

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
/// only from that loop; <see cref="Counters"/> may be read from other threads.</remarks>
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
    private readonly HashSet<ChunkId> _tooLarge = [];
    private readonly List<ChunkProducer> _producers = [];
    private readonly Dictionary<Hash256, StorageProgress> _storage = [];
    private readonly HashSet<Hash256> _missingCodes = [];
    private readonly HaveBatch _haves;
    private Role _role;
    private EpochAnchor? _anchor;
    private int? _depth;
    private bool _announced;
    private KeyRangeSet _held = KeyRangeSet.Empty;
    private readonly RollableAccounts _rollable = new();
    private readonly HashSet<(ChunkId Chunk, PeerHandle Peer)> _diffRefused = [];
    private TimeSpan? _rollStartedAt;
    private TimeSpan _lastPushReceived;
    private ulong _rideMaxStep;
    private bool _rideSeen;
    private readonly SeederRide _ride;
    private TimeSpan _lastTick;
    private readonly ulong _tieBreak;
    private BlockRef _head;
    private BlockRef _finalized;

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
        _tieBreak = options.TieBreakSeed ?? (ulong)Random.Shared.NextInt64();
        _ride = new SeederRide(options, transport, clock, Counters, metrics);
        _haves = new HaveBatch(options);
    }

    /// <summary>Current role: a leecher becomes a seeder once its state verified.</summary>
    public Role Role => _role;

    /// <summary>The latest finalized epoch this engine works on.</summary>
    public EpochAnchor? Anchor => _anchor;

    /// <summary>The chunk depth in use (selected by a seeder, adopted by a leecher), or null before one is known.</summary>
    public int? Depth => _depth;

    /// <summary>True once the state of <see cref="Anchor"/> verified from the store (always true for a seeder).</summary>
    public bool IsSynced => _role == Role.Seeder && _anchor is not null;

    /// <summary>Account keys held at the current root.</summary>
    public KeyRangeSet HeldAccounts => _role == Role.Seeder ? KeyRangeSet.Full : _held;

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
        _role == Role.Seeder ? 0 : _storage.Values.Count(static progress => !progress.Held.IsFull), _missingCodes.Count, IsSynced)
    {
        StorageAccounts = _role == Role.Seeder ? 0 : _storage.Count,
    };

    /// <summary>Connected peers that completed the Status exchange, for status displays.</summary>
    public IReadOnlyList<PeerView> PeerViews() =>
        [.. _peers.Values.Where(static peer => peer.Status is not null).Select(peer => new PeerView(peer.Handle,
            peer.Status!.Role, peer.Status.Role == Role.Seeder && peer.Status.Epoch is not null ? KeyRangeSet.Full : peer.Accounts,
            peer.BytesIn, peer.BytesOut, _scores.Score(peer.Handle)))];

    /// <summary>The key range of the chunk the ride is at: for a seeder the step it is pushing, for a leecher the
    /// furthest chunk a seeder pushed to it; null before a ride is known.</summary>
    public KeyRange? RideChunk()
    {
        if (_depth is not { } depth || _anchor is not { } anchor) return null;
        RideOrder ride = new KeyspacePartition(depth).RideFrom(anchor.StartKey);
        ulong chunks = ride.Partition.ChunkCount;
        if (_role == Role.Seeder) return ride.Partition.ChunkAt(ride.IndexAt(_ride.Step % chunks)).Range;
        return _rideSeen ? ride.Partition.ChunkAt(ride.IndexAt(_rideMaxStep % chunks)).Range : null;
    }

    /// <summary>The head and latest finalized block this node knows, sent in every later Status (untrusted by peers:
    /// used only for progress estimates).</summary>
    public void SetChainHead(BlockRef head, BlockRef finalized)
    {
        _head = head;
        _finalized = finalized;
    }
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
        _tooLarge.Clear();
        _ride.Reset();
        _rideSeen = false;
        _rideMaxStep = 0;
        _lastPushReceived = _clock.Now;
        _metrics?.SetEpoch(anchor.Number);
        if (_options.Role == Role.Seeder)
        {
            StartSeeding(anchor, index);
            return;
        }
        // Everything held at the old root becomes rollable from that epoch (older rollable ranges stay rollable from
        // theirs, within the servers' diff window); storage stays at its storage root until the account's leaf at
        // the new epoch says whether that root changed.
        _role = Role.Leecher;
        RecordAnchor(anchor);
        if (previous is { } old) _rollable.Add(old, _held, anchor);
        _held = KeyRangeSet.Empty;
        foreach (StorageProgress progress in _storage.Values)
        {
            progress.Unconfirmed = progress.Unconfirmed.Union(progress.Held);
            progress.Held = KeyRangeSet.Empty;
            if (progress.RollableFrom is { } from && from.Number + Limits.DiffWindowEpochs < anchor.Number)
            {
                progress.Rollable = KeyRangeSet.Empty;
                progress.RollableFrom = null;
            }
        }
        if (previous is null) Resume(anchor);
        _diffRefused.Clear();
        _rollStartedAt = null;
        _depth = null;
        _announced = false;
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
        _tooLarge.Clear();
        _ride.Reset();
        _rollable.Clear();
        _storage.Clear();
        _missingCodes.Clear();
        _held = KeyRangeSet.Empty; // nothing here is rollable: the flat state follows the chain, not an epoch root
        _metrics?.SetEpoch(anchor.Number);
        _role = Role.Seeder;
        _announced = true;
        StartSeeding(anchor, index);
    }

    /// <summary>Peers that completed the Status exchange, with the head they claim (untrusted; for estimates only).</summary>
    public IReadOnlyList<(PeerHandle Peer, ulong ClaimedHead)> ActivePeers() =>
        [.. _peers.Values.Where(static peer => peer.Status is not null).Select(static peer => (peer.Handle, peer.Status!.Head.Number))];

    // A restarted leecher takes back what its store holds (SyncResume): nothing verified is downloaded twice.
    private void Resume(EpochAnchor anchor)
    {
        SyncResume resumed = SyncResume.Read(_store, anchor);
        _held = resumed.Held;
        foreach ((EpochAnchor from, KeyRangeSet ranges) in resumed.Rollable) _rollable.Add(from, ranges, anchor);
        foreach ((Hash256 account, StorageProgress progress) in resumed.Storage) _storage[account] = progress;
        _missingCodes.UnionWith(resumed.MissingCodes);
        Counters.ResumedCoverage = _held.Coverage;
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
        Send(peer, BuildStatus());
        CountPeers();
    }

    /// <summary>The session with <paramref name="peer"/> ended: its outstanding requests are retried elsewhere.</summary>
    public void OnPeerDisconnected(PeerHandle peer)
    {
        if (!_peers.Remove(peer)) return;
        foreach (PendingRequest request in _requests.TakeOf(peer)) Drop(request);
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
            case BlockHeaders headers: OnBlockHeaders(remote, headers); break;
            case StateDiff stateDiff: OnStateDiff(remote, stateDiff); break;
            case TrieNodes: Penalize(peer, ViolationReason.UnsolicitedResponse); break;
        }
    }

    /// <summary>True when the last tick (or <see cref="ContinueRide"/>) paused the ride with chunks still to push now
    /// (<see cref="SwarmOptions.RideBurstBytes"/>): the host calls <see cref="ContinueRide"/> once the events waiting for
    /// the loop are handled.</summary>
    public bool RideYielded { get; private set; }

    /// <summary>Pushes the ride's next burst, no time having passed since the tick; sets <see cref="RideYielded"/> again.</summary>
    public void ContinueRide()
    {
        RideYielded = RideYielded && _role == Role.Seeder && Ride(TimeSpan.Zero);
    }

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
        if (_anchor is null) return;
        AdoptDepth();
        PlanRollForward();
        PlanPulls(now);
        PlanCodePulls();
        FlushHaves(now, force: false);
        CompleteIfDone();
    }

    // ---------------------------------------------------------------- session

    private void OnStatus(RemotePeer remote, Status status)
    {
        if (status.Version < 1)
        {
            Refuse(remote.Handle, DisconnectReason.IncompatibleVersion);
            return;
        }
        if (status.NetworkId != _options.NetworkId || status.GenesisHash != _options.GenesisHash)
        {
            Refuse(remote.Handle, DisconnectReason.IncompatibleNetwork);
            return;
        }
        if (!_options.AcceptsForkId(status.ForkId))
        {
            Refuse(remote.Handle, DisconnectReason.IncompatibleFork);
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
        int seeders = 0, leechers = 0;
        foreach (RemotePeer peer in _peers.Values)
        {
            if (peer.Status?.Role == Role.Seeder) seeders++;
            else if (peer.Status?.Role == Role.Leecher) leechers++;
        }
        _metrics.SetPeers(seeders, leechers, _peers.Count - seeders - leechers);
    }

    private void Refuse(PeerHandle peer, DisconnectReason reason)
    {
        _transport.Disconnect(peer, reason);
        OnPeerDisconnected(peer);
    }

    private Status BuildStatus()
    {
        Epoch? epoch = null;
        KeyRangeSet accounts = KeyRangeSet.Empty;
        var storage = new List<StorageHave>();
        if (_anchor is { } anchor && _depth is { } depth && (_role == Role.Seeder || _announced))
        {
            epoch = new Epoch(anchor.Number, anchor.BoundaryHash, anchor.StateRoot, depth);
            if (_role == Role.Seeder) accounts = KeyRangeSet.Full;
            else
            {
                accounts = _held;
                foreach ((Hash256 account, StorageProgress progress) in _storage.OrderBy(static entry => entry.Key))
                {
                    if (progress.Held.IsEmpty) continue;
                    if (storage.Count == Limits.MaxStorageHaveEntries) break;
                    storage.Add(new StorageHave(account, progress.Held));
                }
            }
        }
        return new Status(Limits.ProtocolVersion, _options.NetworkId, _options.GenesisHash, _options.ForkId, _head, _finalized,
                          epoch is null ? Role.Leecher : _role, epoch, accounts, storage);
    }

    private void BroadcastStatus()
    {
        Status status = BuildStatus();
        foreach (RemotePeer peer in _peers.Values) Send(peer.Handle, status);
        _haves.Clear();
    }

    // ---------------------------------------------------------------- serving

    private void OnRequest(RemotePeer remote, IRequest request)
    {
        // A peer that does not read what we send cannot make us queue without bound: past the back-pressure limit
        // its requests are answered Busy (no penalty: our own pushes may have filled the queue).
        if (_transport.QueuedBytes(remote.Handle) > _options.MaxQueuedBytesPerPeer)
        {
            Send(remote.Handle, new Unavailable(request.RequestId, UnavailableReason.Busy));
            return;
        }
        // A leecher serves the chunks it holds of the current epoch from its own store (each was stored with its proof
        // and its subtree as verification rebuilt it); diffs and older epochs only from epochs it verified completely.
        List<ChunkProducer> epochs = request is GetStateData && _role == Role.Leecher && HeldChunksProducer() is { } held
            ? [held, .. _producers]
            : _producers;
        var view = new ServingView(_store, epochs, HoldsChunk, LayerDiffs);
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

    // Produces the held chunks of the current epoch from this leecher's store; null before it announced the epoch.
    private ChunkProducer? HeldChunksProducer()
    {
        if (_anchor is not { } anchor || _depth is not { } depth || !_announced) return null;
        IEnumerable<ExternalStorage> external = _storage.Where(static entry => !entry.Value.Held.IsEmpty)
                                                        .Select(static entry => new ExternalStorage(entry.Key, entry.Value.Root, 0, entry.Value.Depth));
        return new ChunkProducer(new TrieNodeStore(_store), anchor, EpochIndex.OfKnown(anchor.StateRoot, depth, external));
    }

    private bool HoldsChunk(ChunkId chunk)
    {
        if (_role == Role.Seeder) return true;
        if (chunk.Account is not { } account) return _held.Contains(chunk.Range);
        return _storage.TryGetValue(account, out StorageProgress? progress) && progress.Held.Contains(chunk.Range) && _held.Contains(account);
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
        if (_role == Role.Seeder || _anchor is not { } anchor || data.EpochHash != anchor.BoundaryHash) return;
        remote.MarkHolds(data.Chunk.Account, data.Chunk.Range);
        if (!solicited && remote.IsSeederOf(anchor.BoundaryHash)) NoteRide(data.Chunk);
        if (IsHeld(data.Chunk))
        {
            Counters.ChunksDuplicate++;
            Counters.DuplicateBytes += size;
            _metrics?.ChunkDuplicate();
            return;
        }
        StorageProgress? storage = null;
        if (data.Chunk.Account is { } account && (!_storage.TryGetValue(account, out storage) || !_held.Contains(account))) return;
        ChunkCheck check = ChunkVerifier.Verify(data, anchor.StateRoot);
        if (!check.IsValid)
        {
            Counters.ChunksRejected++;
            _metrics?.ChunkRejected();
            Penalize(remote.Handle, check.Fault == ChunkFault.WrongRoot ? ViolationReason.WrongRootForEpoch : ViolationReason.InvalidProof);
            return;
        }
        if (storage is not null)
        {
            LeecherStore.CommitStorage(_store, data.Chunk, storage.Root, data.Slots, data.Proof);
            if (storage.Held.IsEmpty && data.Chunk.Depth > storage.Depth) storage.Depth = data.Chunk.Depth;
            storage.Held = storage.Held.Union(KeyRangeSet.Of(data.Chunk.Range));
            storage.Rollable = storage.Rollable.Except(KeyRangeSet.Of(data.Chunk.Range));
            storage.Unconfirmed = storage.Unconfirmed.Except(KeyRangeSet.Of(data.Chunk.Range));
        }
        else
        {
            LeecherStore.CommitAccounts(_store, anchor.StateRoot, data.Chunk, data.Accounts, data.Proof);
            foreach (Hash256 replaced in _storage.Keys.Where(data.Chunk.Range.Contains).ToList()) _storage.Remove(replaced);
            _held = _held.Union(KeyRangeSet.Of(data.Chunk.Range));
            _rollable.Remove(KeyRangeSet.Of(data.Chunk.Range));
            Learn(data.Accounts, static entry => entry.Storage.IsEmpty && AccountValue.Read(entry.Value.Span).StorageRoot != Hash256.EmptyTrieRoot);
        }
        Counters.ChunksVerified++;
        _metrics?.ChunkVerified(_held.Coverage);
        NoteHave(data.Chunk);
        if (!solicited && remote.IsSeederOf(anchor.BoundaryHash)) Forward(data, remote.Handle, anchor);
    }

    private bool IsHeld(ChunkId chunk) => chunk.Account is { } account
        ? _storage.TryGetValue(account, out StorageProgress? progress) && progress.Held.Contains(chunk.Range)
        : _held.Contains(chunk.Range);

    private void NoteRide(ChunkId chunk)
    {
        _lastPushReceived = _clock.Now;
        if (chunk.IsStorage || _depth is not { } depth || chunk.Depth < depth || _anchor is not { } anchor) return;
        RideOrder ride = new KeyspacePartition(depth).RideFrom(anchor.StartKey);
        ulong step = ride.StepOf(ride.Partition.IndexOf(chunk.Path));
        if (!_rideSeen || step > _rideMaxStep) _rideMaxStep = step;
        _rideSeen = true;
    }

    // Learns external storage accounts and code hashes from verified account leaves.
    private void Learn(IReadOnlyList<AccountEntry> accounts, Func<AccountEntry, bool> isExternal)
    {
        foreach (AccountEntry entry in accounts)
        {
            (Hash256 storageRoot, Hash256 codeHash) = AccountValue.Read(entry.Value.Span);
            if (codeHash != Hash256.EmptyKeccak && !LeecherStore.HasCode(_store, codeHash)) _missingCodes.Add(codeHash);
            if (!isExternal(entry))
            {
                _storage.Remove(entry.AccountHash);
                continue;
            }
            if (_storage.TryGetValue(entry.AccountHash, out StorageProgress? progress))
            {
                if (progress.Root == storageRoot)
                {
                    progress.Held = progress.Held.Union(progress.Unconfirmed);
                    progress.Unconfirmed = KeyRangeSet.Empty;
                    progress.ConfirmedAt = _anchor;
                    continue;
                }
                // The storage root changed: what is stored (at the old root) rolls forward from an epoch that had it.
                KeyRangeSet stored = progress.Held.Union(progress.Unconfirmed);
                _storage[entry.AccountHash] = new StorageProgress(storageRoot)
                {
                    ConfirmedAt = _anchor, Depth = progress.Depth,
                    Rollable = progress.ConfirmedAt is null ? KeyRangeSet.Empty : stored, RollableFrom = progress.ConfirmedAt,
                };
                continue;
            }
            _storage[entry.AccountHash] = new StorageProgress(storageRoot) { ConfirmedAt = _anchor };
        }
    }

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

    // ---------------------------------------------------------------- leecher: roll-forward

    // Asks seeders of the current epoch for diffs of what is held at older roots. The new epoch is announced once
    // nothing is left to roll or after RollGrace (rolling goes on; what is still rollable is not pulled meanwhile).
    private void PlanRollForward()
    {
        if (_anchor is not { } to || _depth is not { } depth) return;
        bool nothing = _rollable.IsEmpty && !_storage.Values.Any(static progress => progress.RollableFrom is not null && !progress.Rollable.IsEmpty);
        List<RemotePeer> servers = [.. _peers.Values.Where(peer => peer.IsSeederOf(to.BoundaryHash))];
        // The grace runs from when a seeder of the new epoch is first seen: before that nothing can be rolled (or pulled).
        if (servers.Count > 0) _rollStartedAt ??= _clock.Now;
        bool graceOver = _rollStartedAt is { } started && _clock.Now - started >= _options.RollGrace;
        if (nothing || graceOver) AnnounceEpoch();
        if (nothing) return;
        foreach ((ChunkId chunk, EpochAnchor from) in RollableChunks(depth).ToList())
        {
            if (_requests.IsRequested(chunk)) continue;
            List<RemotePeer> willing = [.. servers.Where(peer => !_diffRefused.Contains((chunk, peer.Handle)))];
            if (willing.Count == 0)
            {
                // Every seeder we know refused (or, past the grace, there is none): pull the chunk instead.
                if (servers.Count > 0) GiveUpRolling(chunk);
                continue;
            }
            if (_requests.Count >= _options.MaxPullsInFlight + _options.MaxDiffsPerPeer) return;
            RemotePeer? server = willing.Where(peer => peer.PullsInFlight < _options.MaxDiffsPerPeer).OrderBy(static peer => peer.PullsInFlight).FirstOrDefault();
            if (server is null) continue;
            ulong id = _requests.NextId();
            Request(server, id, new PendingRequest(server.Handle, PendingKind.ChunkDiff, chunk, [], _clock.Now),
                    new GetChunkDiff(id, chunk, from.BoundaryHash, from.StateRoot, to.BoundaryHash, to.StateRoot));
        }
    }

    private IEnumerable<(ChunkId Chunk, EpochAnchor From)> RollableChunks(int depth)
    {
        foreach ((ChunkId chunk, EpochAnchor from) in _rollable.Chunks(depth)) yield return (chunk, from);
        foreach ((Hash256 account, StorageProgress progress) in _storage)
        {
            if (progress.Rollable.IsEmpty || progress.RollableFrom is not { } from || !_held.Contains(account)) continue;
            var storage = new KeyspacePartition(progress.Depth, account);
            for (ulong i = 0; i < storage.ChunkCount; i++)
            {
                ChunkId chunk = storage.ChunkAt(i);
                if (progress.Rollable.Contains(chunk.Range)) yield return (chunk, from);
            }
        }
    }

    private void OnChunkDiff(RemotePeer remote, ChunkDiff diff)
    {
        if (Match(remote, diff.RequestId, PendingKind.ChunkDiff, out _) is not { } request) return;
        if (_anchor is not { } anchor || diff.ToRoot != anchor.StateRoot || request.Chunk is not { } chunk || diff.Chunk != chunk) return;
        // Only while the chunk is still rollable from the root the diff starts at (it may have been pulled meanwhile).
        EpochAnchor? from = chunk.Account is { } owner
            ? _storage.TryGetValue(owner, out StorageProgress? owned) && owned.Rollable.Contains(chunk.Range) ? owned.RollableFrom : null
            : _rollable.FromOf(chunk.Range);
        if (from is not { } source || source.StateRoot != diff.FromRoot) return;
        IReadOnlyList<TrieLeaf> held = chunk.Account is { } account
            ? LeecherStore.ReadSlots(_store, account, chunk.Range)
            : LeecherStore.ReadAccounts(_store, chunk.Range);
        ChunkCheck check = ChunkRollForward.Verify(diff, held);
        if (!check.IsValid)
        {
            Counters.ChunksRejected++;
            _metrics?.ChunkRejected();
            GiveUpRolling(chunk);
            Penalize(remote.Handle, ViolationReason.InvalidChunkDiff);
            return;
        }
        if (chunk.Account is { } storageAccount)
        {
            if (!_storage.TryGetValue(storageAccount, out StorageProgress? progress)) return;
            SlotEntry[] slots = [.. check.Leaves.Select(static leaf => new SlotEntry(leaf.Key, leaf.Value))];
            LeecherStore.CommitStorage(_store, chunk, progress.Root, slots, diff.Proof);
            progress.Held = progress.Held.Union(KeyRangeSet.Of(chunk.Range));
            progress.Rollable = progress.Rollable.Except(KeyRangeSet.Of(chunk.Range));
        }
        else
        {
            RolledAccounts rolled = LeecherStore.WithStorage(_store, held, check.Leaves, diff.Accounts, _storage.ContainsKey);
            LeecherStore.CommitAccounts(_store, anchor.StateRoot, chunk, rolled.Accounts, diff.Proof,
                [.. _storage.Where(entry => chunk.Range.Contains(entry.Key))
                            .Select(static entry => (entry.Key, entry.Value.Root, entry.Value.Held.Union(entry.Value.Unconfirmed)))]);
            _held = _held.Union(KeyRangeSet.Of(chunk.Range));
            _rollable.Remove(KeyRangeSet.Of(chunk.Range));
            Learn(rolled.Accounts, entry => rolled.External.Contains(entry.AccountHash));
        }
        Counters.ChunksRolledForward++;
        _metrics?.ChunkRolledForward(_held.Coverage);
        NoteHave(chunk);
    }

    private void GiveUpRolling(ChunkId chunk)
    {
        Counters.HealPulls++;
        _metrics?.HealPull();
        if (chunk.Account is { } account)
        {
            if (_storage.TryGetValue(account, out StorageProgress? progress)) progress.Rollable = progress.Rollable.Except(KeyRangeSet.Of(chunk.Range));
            return;
        }
        _rollable.Remove(KeyRangeSet.Of(chunk.Range));
    }

    private void AnnounceEpoch()
    {
        if (_announced || _depth is null) return;
        _announced = true;
        BroadcastStatus();
    }

    // ---------------------------------------------------------------- leecher: pulls

    private void AdoptDepth()
    {
        if (_depth is not null || _anchor is not { } anchor) return;
        // The depth most seeders of the epoch announce; with no seeder connected, the one most leechers that announced
        // the epoch at our root use (they adopted it in turn). A wrong depth costs only efficiency: every chunk is
        // verified against the root whatever its depth.
        bool seeders = _peers.Values.Any(peer => peer.IsSeederOf(anchor.BoundaryHash));
        int? depth = _peers.Values.Where(peer => seeders ? peer.IsSeederOf(anchor.BoundaryHash)
                                                         : peer.IsOnEpoch(anchor.BoundaryHash) && peer.Status!.Epoch!.Value.StateRoot == anchor.StateRoot)
                                  .GroupBy(static peer => peer.Status!.Epoch!.Value.ChunkDepth)
                                  .OrderByDescending(static group => group.Count()).ThenBy(static group => group.Key)
                                  .Select(static group => (int?)group.Key).FirstOrDefault();
        if (depth is null) return;
        _depth = depth;
        if (_rollable.IsEmpty && !_storage.Values.Any(static progress => progress.RollableFrom is not null && !progress.Rollable.IsEmpty)) AnnounceEpoch();
    }

    private void PlanPulls(TimeSpan now)
    {
        if (_depth is not { } depth || _anchor is not { } anchor || !_announced) return;
        bool idle = now - _lastPushReceived >= _options.PullAfterIdle;
        RideOrder ride = new KeyspacePartition(depth).RideFrom(anchor.StartKey);
        var candidates = new List<(ChunkId Chunk, int Holders, ulong Step)>();
        for (ulong step = 0; step < ride.Partition.ChunkCount; step++)
        {
            bool passed = _rideSeen && step + (ulong)_options.PullLagChunks < _rideMaxStep;
            if (!idle && !passed) continue;
            Collect(ride.Partition.ChunkAt(ride.IndexAt(step)), step, anchor, candidates);
        }
        if (idle || _held.IsFull)
        {
            foreach ((Hash256 account, StorageProgress progress) in _storage)
            {
                if (progress.Held.IsFull || !_held.Contains(account)) continue;
                var partition = new KeyspacePartition(progress.Depth, account);
                for (ulong i = 0; i < partition.ChunkCount; i++) Collect(partition.ChunkAt(i), ulong.MaxValue, anchor, candidates);
            }
        }
        // Seeders are asked only when the ride seems to have stalled for us: otherwise every idle leecher would pull the
        // same gaps from the seeder, which costs it a copy per leecher, while its ride hands each chunk out once.
        bool askSeeders = now - _lastPushReceived >= _options.SeederPullAfterIdle;
        // Equally rare gaps in an order of this node's own: nodes that all pulled the same gap first would queue at the
        // same few holders.
        foreach ((ChunkId chunk, _, _) in candidates.OrderBy(static c => c.Holders).ThenBy(c => Mix(c.Chunk, _tieBreak)))
        {
            if (_requests.Count >= _options.MaxPullsInFlight) return;
            // A chunk another leecher holds is pulled from a leecher (waiting for a free one if need be); only a chunk no
            // leecher holds is pulled from a seeder.
            List<RemotePeer> holders = [.. _peers.Values.Where(peer => Holds(peer, anchor, chunk))];
            bool leecherHolds = holders.Any(peer => !peer.IsSeederOf(anchor.BoundaryHash));
            RemotePeer? holder = holders
                .Where(peer => peer.PullsInFlight < _options.MaxPullsPerPeer && (peer.IsSeederOf(anchor.BoundaryHash) ? askSeeders && !leecherHolds : true))
                .OrderBy(static peer => peer.PullsInFlight)
                .ThenBy(peer => Mix(chunk, (ulong)peer.Handle.Id))
                .FirstOrDefault();
            if (holder is null) continue;
            ulong id = _requests.NextId();
            Request(holder, id, new PendingRequest(holder.Handle, PendingKind.StateData, chunk, [], now),
                    new GetStateData(id, anchor.BoundaryHash, anchor.StateRoot, chunk));
            Counters.PullRequests++;
        }
    }

    // A pseudo-random but fixed order of chunks (and of the holders of one chunk), from a 64-bit mix of the chunk's
    // identity and `salt`.
    private static ulong Mix(ChunkId chunk, ulong salt)
    {
        ulong mixed = (chunk.Path.Word(0) ^ (chunk.Account?.Word(0) ?? 0) ^ (ulong)chunk.Depth) * 0x9E3779B97F4A7C15UL ^ salt * 0xC2B2AE3D27D4EB4FUL;
        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        return mixed ^ (mixed >> 32);
    }

    // Adds `chunk` (or, if it is known to be too large or partly held or rollable, its missing children) as pull
    // candidates. What is held at an older root and still being rolled forward is not pulled.
    private void Collect(ChunkId chunk, ulong step, EpochAnchor anchor, List<(ChunkId, int, ulong)> candidates)
    {
        KeyRangeSet held = chunk.Account is { } account ? _storage[account].Held : _held;
        if (held.Contains(chunk.Range)) return;
        bool rollable = chunk.Account is { } owner
            ? _storage[owner] is { RollableFrom: not null } progress && progress.Rollable.Overlaps(chunk.Range)
            : _rollable.Overlaps(chunk.Range);
        bool rollableWhole = rollable && (chunk.Account is { } whole ? _storage[whole].Rollable.Contains(chunk.Range) : _rollable.FromOf(chunk.Range) is not null);
        if (rollableWhole) return;
        if ((_tooLarge.Contains(chunk) || held.Overlaps(chunk.Range) || rollable) && chunk.Depth < Limits.MaxChunkDepth)
        {
            foreach (ChunkId child in chunk.Children()) Collect(child, step, anchor, candidates);
            return;
        }
        if (_requests.IsRequested(chunk)) return;
        int holders = _peers.Values.Count(peer => Holds(peer, anchor, chunk));
        if (holders > 0) candidates.Add((chunk, holders, step));
    }

    private static bool Holds(RemotePeer peer, EpochAnchor anchor, ChunkId chunk) => chunk.Account is { } account
        ? peer.HoldsStorage(anchor.BoundaryHash, account, chunk.Range)
        : peer.HoldsAccounts(anchor.BoundaryHash, chunk.Range);

    private void PlanCodePulls()
    {
        if (_missingCodes.Count == 0 || _requests.AnyCodes || _anchor is not { } anchor) return;
        RemotePeer? server = _peers.Values.Where(peer => peer.IsSeederOf(anchor.BoundaryHash)).OrderBy(static peer => peer.PullsInFlight).FirstOrDefault();
        if (server is null) return;
        Hash256[] hashes = [.. _missingCodes.Take(256)];
        ulong id = _requests.NextId();
        Request(server, id, new PendingRequest(server.Handle, PendingKind.ByteCodes, null, hashes, _clock.Now),
                new GetByteCodes(id, hashes, Limits.MaxResponseBytes));
    }

    private void OnByteCodes(RemotePeer remote, ByteCodes codes)
    {
        if (codes.RequestId == 0 || Match(remote, codes.RequestId, PendingKind.ByteCodes, out _) is not { } request) return;
        foreach (Hash256 stored in LeecherStore.CommitCodes(_store, codes.Codes, _missingCodes)) _missingCodes.Remove(stored);
    }

    private void OnBlockHeaders(RemotePeer remote, BlockHeaders headers)
    {
        if (Match(remote, headers.RequestId, PendingKind.BlockHeaders, out _) is not { } request) return;
        request.Answer?.Invoke(headers);
    }

    private void OnStateDiff(RemotePeer remote, StateDiff stateDiff)
    {
        if (Match(remote, stateDiff.RequestId, PendingKind.StateDiff, out _) is not { } request) return;
        request.Answer?.Invoke(stateDiff);
    }

    private void OnUnavailable(RemotePeer remote, Unavailable unavailable)
    {
        if (Match(remote, unavailable.RequestId, null, out _) is not { } request) return;
        if (request.Kind is PendingKind.BlockHeaders or PendingKind.StateDiff)
        {
            request.Answer?.Invoke(null);
            return;
        }
        if (request.Chunk is not { } chunk || unavailable.Reason == UnavailableReason.Busy) return; // busy is no lie: retry later
        if (request.Kind == PendingKind.ChunkDiff)
        {
            _diffRefused.Add((chunk, remote.Handle)); // another seeder may serve it; if none will, it is pulled
            return;
        }
        if (unavailable.Reason == UnavailableReason.TooLarge) _tooLarge.Add(chunk);
        else if (chunk.Account is { } account && _storage.TryGetValue(account, out StorageProgress? progress) && progress.Depth == chunk.Depth
                 && unavailable.Reason == UnavailableReason.UnknownEpoch && remote.IsSeederOf(_anchor?.BoundaryHash ?? default))
            progress.Depth++;
        else if (_anchor is { } anchor && Holds(remote, anchor, chunk))
        {
            Penalize(remote.Handle, ViolationReason.AnnouncedButUnavailable);
            remote.Forget(chunk);
        }
    }

    // ---------------------------------------------------------------- leecher: haves and completion

    private void NoteHave(ChunkId chunk)
    {
        if (_haves.Add(chunk)) FlushHaves(_clock.Now, force: true);
    }

    private void FlushHaves(TimeSpan now, bool force)
    {
        if (_anchor is not { } anchor || !_announced || _haves.Take(anchor.BoundaryHash, now, force) is not { } haves) return;
        foreach (RemotePeer peer in _peers.Values.Where(static peer => peer.Status is not null)) Send(peer.Handle, haves);
    }

    private void CompleteIfDone()
    {
        if (_anchor is not { } anchor || !_announced || !_held.IsFull || _missingCodes.Count > 0) return;
        if (_storage.Values.Any(static progress => !progress.Held.IsFull)) return;
        StateVerification verification = StateRootVerifier.Verify(_store, anchor.StateRoot);
        if (!verification.IsValid)
        {
            VerificationFailed?.Invoke(anchor, verification);
            using (IWriteBatch batch = _store.BeginBatch())
            {
                SyncProgressStore.Clear(_store, batch, anchor.StateRoot); // what failed is not trusted after a restart either
                batch.Commit();
            }
            _held = KeyRangeSet.Empty;
            _storage.Clear();
            _rollable.Clear();
            return;
        }
        FlushHaves(_clock.Now, force: true);
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
        peer.PullsInFlight++;
        Send(peer.Handle, request);
    }

    // Matches a response to the request it answers (same peer, and same kind when given) and settles it. A response to
    // no outstanding request is dropped with a minor penalty (spec/mgr-protocol.md §1), unless it answers one of ours
    // that timed out lately (late: the timeout was penalty enough). Null when nothing matched.
    private PendingRequest? Match(RemotePeer remote, ulong id, PendingKind? kind, out bool late)
    {
        late = false;
        if (_requests.TryTake(id, remote.Handle, kind, out PendingRequest request))
        {
            Settle(request);
            return request;
        }
        late = _requests.TakeLate(id, remote.Handle);
        if (late) Counters.LateResponses++;
        else Penalize(remote.Handle, ViolationReason.UnsolicitedResponse);
        return null;
    }

    // A request answered (or matched to its Unavailable): its peer has one less in flight.
    private void Settle(PendingRequest request)
    {
        if (_peers.TryGetValue(request.Peer, out RemotePeer? peer)) peer.PullsInFlight--;
    }

    // A request dropped without an answer (its peer left or it timed out): header callers hear null.
    private void Drop(PendingRequest request)
    {
        Settle(request);
        request.Answer?.Invoke(null);
    }

    private void ExpireRequests(TimeSpan now)
    {
        foreach (PendingRequest request in _requests.TakeSentBefore(now - _options.RequestTimeout))
        {
            Drop(request);
            if (request.Kind == PendingKind.ChunkDiff && request.Chunk is { } chunk) _diffRefused.Add((chunk, request.Peer));
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
