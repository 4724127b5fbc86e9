using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>Chooses what a leecher pulls (spec/swarm.md §4): the chunk depth its peers agree on; the chunks the ride
/// has passed (all of them once pushes stop coming), rarest first and equally rare ones in an order of this node's own,
/// each from its least busy holder — a leecher (or a peer that synced alongside us: it does not ride) when one holds it,
/// a riding seeder only for what no leecher holds and only once the ride seems stalled; a chunk a holder called too
/// large as its children; missing codes, from seeders; and, in the endgame, a second holder for a chunk whose request
/// is slow.</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class PullPlanner(SwarmOptions options, LeecherHoldings holdings, RequestBook requests, RideWatch ride,
                                  IReadOnlyDictionary<PeerHandle, RemotePeer> peers, ulong tieBreak, RequestSender request,
                                  SwarmCounters counters)
{
    // Partitions of more chunks than this are counted chunk by chunk (depth 6: the depth rule picks it only past 8.6
    // billion leaves).
    private const ulong MaxCountedChunks = 1 << 20;

    private readonly HashSet<ChunkId> _tooLarge = [];
    private readonly List<RemotePeer> _holders = [];
    // Pull candidates ranked by (holders, this node's order of equally rare ones, order found), filled by Collect.
    private readonly List<(ChunkId, (int Holders, ulong Order, int Index))> _candidates = [];
    private readonly PriorityQueue<ChunkId, (int Holders, ulong Order, int Index)> _queue = new();
    private int[] _holderCounts = [];
    private readonly HashSet<ulong> _requestedIndices = []; // account chunks of the planned partition asked of a peer
    private readonly ulong _firstKey = Mix(default, tieBreak); // where this node's key order starts (PullInKeyOrder)

    /// <summary>A new epoch: what was too large at the old root is asked again.</summary>
    public void ForgetTooLarge() => _tooLarge.Clear();

    /// <summary>The chunk depth to pull <paramref name="anchor"/>'s state at: the one most of its seeders announce; with
    /// no seeder connected, the one most leechers that announced the epoch at that root use (they adopted it in turn).
    /// Null while nobody says. A wrong depth costs only efficiency: every chunk is verified against the root whatever
    /// its depth.</summary>
    public int? AgreedDepth(EpochAnchor anchor)
    {
        bool seeders = peers.Values.Any(peer => peer.IsSeederOf(anchor.BoundaryHash));
        return peers.Values.Where(peer => seeders ? peer.IsSeederOf(anchor.BoundaryHash)
                                                  : peer.IsOnEpoch(anchor.BoundaryHash) && peer.Status!.Epoch!.Value.StateRoot == anchor.StateRoot)
                           .GroupBy(static peer => peer.Status!.Epoch!.Value.ChunkDepth)
                           .OrderByDescending(static group => group.Count()).ThenBy(static group => group.Key)
                           .Select(static group => (int?)group.Key).FirstOrDefault();
    }

    /// <summary>Sends the pulls due at <paramref name="now"/> for <paramref name="anchor"/>'s state, chunked at
    /// <paramref name="depth"/>, while fewer than <see cref="SwarmOptions.MaxPullsInFlight"/> are outstanding.</summary>
    public void Plan(TimeSpan now, EpochAnchor anchor, int depth)
    {
        // Nothing below could be sent with no request slot free, or no peer below its own limit (a client–server leecher
        // waiting on its one seeder): a tick then costs no walk over the state's chunks.
        if (requests.Count >= options.MaxPullsInFlight || !AnyPeerFree()) return;
        bool idle = now - ride.LastPush >= options.PullAfterIdle;
        RideOrder order = anchor.RideAt(depth);
        _candidates.Clear();
        int[]? holders = order.Partition.ChunkCount <= MaxCountedChunks
            ? HolderCounts.Count(peers.Values, anchor.BoundaryHash, order.Partition, ref _holderCounts)
            : null;
        // Only a chunk not wholly held can be a candidate: walk the gaps in what is held, each chunk once (a chunk held
        // in part meets two gaps), not every chunk of the partition.
        ulong? previous = null;
        bool nothingToSplit = holdings.Rollable.IsEmpty && _tooLarge.Count == 0;
        _requestedIndices.Clear();
        foreach (ChunkId requested in requests.RequestedChunks)
            if (requested.Account is null && requested.Depth == depth) _requestedIndices.Add(order.Partition.IndexOf(requested.Path));
        foreach (KeyRange gap in holdings.Accounts.Complement().Intervals)
        {
            ulong first = order.Partition.IndexOf(gap.Start), last = order.Partition.IndexOf(gap.End);
            for (ulong index = first; index <= last; index++)
            {
                if (index == previous) continue;
                previous = index;
                if (!idle && !ride.HasPassed(order.StepOf(index), options.PullLagChunks)) continue;
                // A chunk inside the gap is wholly missing; with nothing rolled forward or too large it is not split, so
                // what Collect would ask is only whether some peer holds it and it is not requested yet. (Most of a
                // large state, most ticks: no peer holds it.)
                if (holders is not null && index > first && index < last && nothingToSplit)
                {
                    if (holders[index] == 0 || _requestedIndices.Contains(index)) continue;
                    ChunkId inner = order.Partition.ChunkAt(index);
                    _candidates.Add((inner, (holders[index], OrderOf(inner), _candidates.Count)));
                    continue;
                }
                Collect(order.Partition.ChunkAt(index), anchor, holders?[index] ?? -1);
            }
        }
        // External storage rides right after its account's chunk: unless idle, it is pulled once the ride passed that
        // chunk too (the last account chunk's storage is still on its way when the accounts become full).
        if (idle || holdings.Accounts.IsFull)
        {
            foreach ((Hash256 account, StorageProgress progress) in holdings.Storage)
            {
                if (progress.Held.IsFull || !holdings.Accounts.Contains(account)) continue;
                if (!idle && !ride.HasPassed(order.StepOf(order.Partition.IndexOf(account)), options.PullLagChunks)) continue;
                var partition = new KeyspacePartition(progress.Depth, account);
                for (ulong i = 0; i < partition.ChunkCount; i++) Collect(partition.ChunkAt(i), anchor);
            }
        }
        // Seeders are asked only when the ride seems to have stalled for us: otherwise every idle leecher would pull the
        // same gaps from the seeder, which costs it a copy per leecher, while its ride hands each chunk out once.
        bool askSeeders = now - ride.LastPush >= options.SeederPullAfterIdle;
        // Equally rare gaps in an order of this node's own: nodes that all pulled the same gap first would queue at the
        // same few holders. A heap, not a sort: the pass ends as soon as no peer can take another request, often after
        // one pull out of thousands of candidates.
        _queue.Clear();
        _queue.EnqueueRange(_candidates);
        while (_queue.TryDequeue(out ChunkId chunk, out _))
        {
            if (requests.Count >= options.MaxPullsInFlight) return;
            if (TryPull(chunk, now, anchor, askSeeders, except: null) && !AnyPeerFree()) return;
        }
        if (options.EndgameChunks > 0 && requests.Count < options.MaxPullsInFlight && !MissingMoreThan(order.Partition, options.EndgameChunks))
            PlanEndgame(now, anchor, askSeeders);
    }

    // Endgame (SwarmOptions.EndgameChunks): with only a few chunks missing, a free pull slot asks a second holder for the
    // chunk whose request has waited longest (its response stuck behind others in its holder's uplink). The first answer
    // is kept, the second counted as a duplicate; a chunk is asked of at most two peers at once.
    private void PlanEndgame(TimeSpan now, EpochAnchor anchor, bool askSeeders)
    {
        foreach (PendingRequest waiting in requests.Outstanding(PendingKind.StateData).ToList())
        {
            if (requests.Count >= options.MaxPullsInFlight) return;
            if (now - waiting.SentAt < options.EndgameAfter) return; // oldest first: the rest are younger
            if (waiting.Chunk is not { } chunk || requests.RequestsFor(chunk) > 1 || holdings.Holds(chunk)) continue;
            if (TryPull(chunk, now, anchor, askSeeders, except: waiting.Peer)) counters.EndgameRequests++;
        }
    }

    // Asks the least busy free holder of `chunk` (other than `except`, and not one that answered Busy within BusyBackoff)
    // for it; false when none is free. A chunk another
    // leecher holds is pulled from a leecher (waiting for a free one if need be); only a chunk no leecher holds is pulled
    // from a seeder, and only when `askSeeders`.
    private bool TryPull(ChunkId chunk, TimeSpan now, EpochAnchor anchor, bool askSeeders, PeerHandle? except)
    {
        List<RemotePeer> holders = _holders;
        holders.Clear();
        bool leecherHolds = false;
        foreach (RemotePeer peer in peers.Values)
        {
            if (peer.Handle == except || !peer.Holds(anchor.BoundaryHash, chunk)) continue;
            holders.Add(peer);
            leecherHolds |= !IsRider(peer, anchor);
        }
        RemotePeer? holder = null;
        (int Load, ulong Order) best = default;
        foreach (RemotePeer peer in holders)
        {
            int load = requests.InFlightTo(peer.Handle);
            if (load >= options.MaxPullsPerPeer || peer.BusyUntil > now || (IsRider(peer, anchor) && !(askSeeders && !leecherHolds))) continue;
            (int, ulong) rank = (load, Mix(chunk, (ulong)peer.Handle.Id));
            if (holder is null || rank.CompareTo(best) < 0) (holder, best) = (peer, rank);
        }
        if (holder is null) return false;
        ulong id = requests.NextId();
        request(holder, id, new PendingRequest(holder.Handle, PendingKind.StateData, chunk, [], now),
                new GetStateData(id, anchor.BoundaryHash, anchor.StateRoot, chunk));
        counters.PullRequests++;
        return true;
    }

    private bool AnyPeerFree()
    {
        foreach (PeerHandle peer in peers.Keys)
            if (requests.InFlightTo(peer) < options.MaxPullsPerPeer) return true;
        return false;
    }

    // A seeder of the epoch that was not seen leeching it: it may be riding, and each pull costs its ride a copy.
    private static bool IsRider(RemotePeer peer, EpochAnchor anchor) =>
        peer.IsSeederOf(anchor.BoundaryHash) && !peer.IsFinishedLeecherOf(anchor.BoundaryHash);

    // True when more than `limit` chunks are missing: account chunks of the epoch's partition (a partly held chunk counts
    // as missing) and storage chunks of the accounts whose external storage is not all held.
    private bool MissingMoreThan(KeyspacePartition accounts, int limit)
    {
        // Every missing key lies in a missing chunk, and chunks are equal slices of the keyspace: a cheap lower bound
        // that settles the question for all but the last few chunks of a large state.
        if ((1 - holdings.Accounts.Coverage) * accounts.ChunkCount > limit + 1) return true;
        int missing = 0;
        for (ulong i = 0; i < accounts.ChunkCount; i++)
        {
            if (!holdings.Accounts.Contains(accounts.ChunkAt(i).Range) && ++missing > limit) return true;
        }
        foreach ((Hash256 account, StorageProgress progress) in holdings.Storage)
        {
            if (progress.Held.IsFull) continue;
            var partition = new KeyspacePartition(progress.Depth, account);
            for (ulong i = 0; i < partition.ChunkCount; i++)
            {
                if (!progress.Held.Contains(partition.ChunkAt(i).Range) && ++missing > limit) return true;
            }
        }
        return false;
    }

    /// <summary>Asks the least busy seeder of <paramref name="anchor"/> for up to 256 missing codes, unless a code
    /// request is outstanding already.</summary>
    public void PlanCodes(TimeSpan now, EpochAnchor anchor)
    {
        if (holdings.MissingCodes.Count == 0 || requests.AnyCodes) return;
        RemotePeer? server = peers.Values.Where(peer => peer.IsSeederOf(anchor.BoundaryHash)).OrderBy(peer => requests.InFlightTo(peer.Handle)).FirstOrDefault();
        if (server is null) return;
        Hash256[] hashes = [.. holdings.MissingCodes.Take(256)];
        ulong id = requests.NextId();
        request(server, id, new PendingRequest(server.Handle, PendingKind.ByteCodes, null, hashes, now),
                new GetByteCodes(id, hashes, Limits.MaxResponseBytes));
    }

    /// <summary><paramref name="holder"/> answered a pull of <paramref name="chunk"/> with Unavailable for
    /// <paramref name="reason"/> (not Busy): a chunk too large is pulled as its children; a storage chunk a seeder does
    /// not know at that depth is pulled one level deeper; otherwise the holder is no longer believed to hold it. True
    /// when that holder had announced the chunk (a penalty is due).</summary>
    public bool Refused(RemotePeer holder, ChunkId chunk, UnavailableReason reason, EpochAnchor? anchor)
    {
        if (reason == UnavailableReason.TooLarge)
        {
            _tooLarge.Add(chunk);
            return false;
        }
        if (chunk.Account is { } account && holdings.Storage.TryGetValue(account, out StorageProgress? progress) && progress.Depth == chunk.Depth
            && reason == UnavailableReason.UnknownEpoch && holder.IsSeederOf(anchor?.BoundaryHash ?? default))
        {
            progress.Depth++;
            return false;
        }
        if (anchor is not { } current || !holder.Holds(current.BoundaryHash, chunk)) return false;
        holder.Forget(chunk);
        return true;
    }

    // Adds `chunk` (or, if it is known to be too large or partly held or rollable, its missing children) as a pull
    // candidate with its number of holders (`knownHolders` when counted already, else -1). What is held at an older
    // root and still being rolled forward is not pulled.
    private void Collect(ChunkId chunk, EpochAnchor anchor, int knownHolders = -1)
    {
        KeyRangeSet held = chunk.Account is { } account ? holdings.Storage[account].Held : holdings.Accounts;
        if (held.Contains(chunk.Range)) return;
        bool rollable = chunk.Account is { } owner
            ? holdings.Storage[owner] is { RollableFrom: not null } progress && progress.Rollable.Overlaps(chunk.Range)
            : holdings.Rollable.Overlaps(chunk.Range);
        bool rollableWhole = rollable && (chunk.Account is { } whole
            ? holdings.Storage[whole].Rollable.Contains(chunk.Range)
            : holdings.Rollable.FromOf(chunk.Range) is not null);
        if (rollableWhole) return;
        if ((_tooLarge.Contains(chunk) || held.Overlaps(chunk.Range) || rollable) && chunk.Depth < Limits.MaxChunkDepth)
        {
            foreach (ChunkId child in chunk.Children()) Collect(child, anchor);
            return;
        }
        if (requests.IsRequested(chunk)) return;
        int holders = knownHolders >= 0 ? knownHolders : peers.Values.Count(peer => peer.Holds(anchor.BoundaryHash, chunk));
        if (holders > 0) _candidates.Add((chunk, (holders, OrderOf(chunk), _candidates.Count)));
    }

    // This node's order of equally rare chunks (SwarmOptions.PullInKeyOrder): by key from a starting key of its own, or
    // scattered.
    private ulong OrderOf(ChunkId chunk) => options.PullInKeyOrder ? chunk.Path.Word(0) - _firstKey : Mix(chunk, tieBreak);

    // A pseudo-random but fixed order of chunks (and of the holders of one chunk), from a 64-bit mix of the chunk's
    // identity and `salt`.
    private static ulong Mix(ChunkId chunk, ulong salt)
    {
        ulong mixed = (chunk.Path.Word(0) ^ (chunk.Account?.Word(0) ?? 0) ^ (ulong)chunk.Depth) * 0x9E3779B97F4A7C15UL ^ salt * 0xC2B2AE3D27D4EB4FUL;
        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        return mixed ^ (mixed >> 32);
    }
}
