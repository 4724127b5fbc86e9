using Mgr.Node.Metrics;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A seeder's ride (spec/swarm.md §2): walks the epoch's chunks in ride order from its start key, produces each
/// step's chunks (the account chunk, then its accounts' external storage) and pushes them to <see cref="SwarmOptions.PushFanOut"/>
/// peers that lack them, skipping steps every peer holds and chunks pushed within <see cref="SwarmOptions.RepushAfter"/>;
/// paced by the upload budget and by back-pressure (per peer and in total).</summary>
/// <remarks>Owned by the engine's loop, like the engine.</remarks>
internal sealed class SeederRide(SwarmOptions options, ISwarmTransport transport, IClock clock, SwarmCounters counters, SwarmMetrics? metrics)
{
    private readonly Queue<StateData> _queue = new();
    private readonly Dictionary<ChunkId, TimeSpan> _pushedAt = [];
    private readonly Dictionary<ulong, TimeSpan> _stepVisitedAt = [];
    private readonly HashSet<PeerHandle> _targets = [];
    private double _uploadCredit;
    private TimeSpan _startedAt;

    /// <summary>The ride step reached (it wraps around the partition).</summary>
    public ulong Step { get; private set; }

    /// <summary>Forgets what was queued and pushed (a new epoch).</summary>
    public void Reset()
    {
        _queue.Clear();
        _pushedAt.Clear();
        _stepVisitedAt.Clear();
    }

    /// <summary>Starts the ride over from the start key; pushing begins <see cref="SwarmOptions.RideStartDelay"/> later.</summary>
    public void Start()
    {
        Step = 0;
        _startedAt = clock.Now;
    }

    /// <summary>Rides on for a tick <paramref name="elapsed"/> long, pushing with <paramref name="send"/> (which returns
    /// the bytes sent). Returns true when it stopped after <see cref="SwarmOptions.RideBurstBytes"/> with more to push
    /// now: call it again (with no time elapsed) once the loop has handled what waits.</summary>
    public bool Run(TimeSpan elapsed, ChunkProducer producer, int depth, IReadOnlyCollection<RemotePeer> peers, Func<PeerHandle, IMessage, long> send)
    {
        if (clock.Now - _startedAt < options.RideStartDelay) return false;
        EpochAnchor anchor = producer.Anchor;
        RideOrder ride = anchor.RideAt(depth);
        bool limited = options.UploadBytesPerSecond > 0;
        if (limited) _uploadCredit = Math.Min(_uploadCredit + elapsed.TotalSeconds * options.UploadBytesPerSecond, options.UploadBytesPerSecond);
        long burst = 0;
        ulong chunks = ride.Partition.ChunkCount;
        for (ulong scanned = 0; scanned <= chunks; scanned++)
        {
            if (limited && _uploadCredit <= 0) return false;
            if (_queue.Count == 0)
            {
                if (!AnyPeerLacksStep(producer, ride, Step, peers)) Step++;
                else
                {
                    ChunkId chunk = ride.Partition.ChunkAt(ride.IndexAt(Step));
                    foreach (StateData data in producer.ProduceSplit(chunk)) _queue.Enqueue(data);
                    _stepVisitedAt[Step % ride.Partition.ChunkCount] = clock.Now;
                    _targets.Clear();
                    foreach (ExternalStorage storage in producer.Index.ExternalIn(chunk.Range))
                    {
                        foreach (ChunkId storageChunk in new KeyspacePartition(storage.Depth, storage.Account).RideFrom(Hash256.Zero))
                        {
                            if (!AnyPeerLacks(anchor.BoundaryHash, storageChunk, peers)) continue;
                            foreach (StateData data in producer.ProduceSplit(storageChunk)) _queue.Enqueue(data);
                        }
                    }
                    Step++;
                }
                metrics?.SetRidePosition((double)(Step % chunks) / chunks);
            }
            while (_queue.Count > 0)
            {
                StateData next = _queue.Peek();
                List<RemotePeer> targets = RecentlyPushed(next.Chunk) ? [] : Lacking(peers, anchor.BoundaryHash, next.Chunk, exclude: null);
                if (targets.Count == 0)
                {
                    _queue.Dequeue();
                    continue;
                }
                if (targets.All(peer => transport.QueuedBytes(peer.Handle) > options.MaxQueuedBytesPerPeer) || UplinkBacklogFull(peers)) return false;
                _queue.Dequeue();
                _pushedAt[next.Chunk] = clock.Now;
                // A step's chunks (the account chunk, then its accounts' storage) go to the same peers, so a receiver
                // never gets storage whose account it does not hold yet and forwards the whole group.
                List<RemotePeer> chosen = [.. targets.Where(peer => _targets.Contains(peer.Handle))];
                if (chosen.Count < options.PushFanOut)
                {
                    chosen.AddRange(targets.Where(peer => !_targets.Contains(peer.Handle) && transport.QueuedBytes(peer.Handle) <= options.MaxQueuedBytesPerPeer)
                                           .OrderBy(static peer => peer.PushedBytes).Take(options.PushFanOut - chosen.Count));
                }
                foreach (RemotePeer target in chosen.Take(options.PushFanOut))
                {
                    _targets.Add(target.Handle);
                    long size = send(target.Handle, next);
                    target.PushedBytes += size;
                    target.MarkHolds(next.Chunk.Account, next.Chunk.Range);
                    counters.ChunksPushed++;
                    _uploadCredit -= size;
                    burst += size;
                }
                if (limited && _uploadCredit <= 0) return false;
                if (options.RideBurstBytes > 0 && burst >= options.RideBurstBytes) return true;
            }
        }
        return false;
    }

    /// <summary>Peers on the epoch that do not (as far as we know) hold the chunk; seeders hold everything.</summary>
    public static List<RemotePeer> Lacking(IEnumerable<RemotePeer> peers, Hash256 epochHash, ChunkId chunk, PeerHandle? exclude)
    {
        var lacking = new List<RemotePeer>();
        foreach (RemotePeer peer in peers)
        {
            if (peer.Handle == exclude || !peer.IsOnEpoch(epochHash) || peer.IsSeederOf(epochHash)) continue;
            bool holds = chunk.Account is { } account ? peer.HoldsOrRollsStorage(epochHash, account, chunk.Range) : peer.HoldsOrRollsAccounts(epochHash, chunk.Range);
            if (!holds) lacking.Add(peer);
        }
        return lacking;
    }

    // True when more than MaxQueuedBytesTotal is queued towards all peers together (never, when that is 0).
    private bool UplinkBacklogFull(IReadOnlyCollection<RemotePeer> peers)
    {
        if (options.MaxQueuedBytesTotal <= 0) return false;
        long queued = 0;
        foreach (RemotePeer peer in peers) queued += transport.QueuedBytes(peer.Handle);
        return queued > options.MaxQueuedBytesTotal;
    }

    private bool AnyPeerLacksStep(ChunkProducer producer, RideOrder ride, ulong step, IReadOnlyCollection<RemotePeer> peers)
    {
        ChunkId chunk = ride.Partition.ChunkAt(ride.IndexAt(step));
        if (_stepVisitedAt.TryGetValue(step % ride.Partition.ChunkCount, out TimeSpan at) && clock.Now - at < options.RepushAfter) return false;
        if (AnyPeerLacks(producer.Anchor.BoundaryHash, chunk, peers)) return true;
        foreach (ExternalStorage storage in producer.Index.ExternalIn(chunk.Range))
        {
            if (AnyPeerLacks(producer.Anchor.BoundaryHash, new ChunkId(storage.Account, 0, Hash256.Zero), peers)) return true;
        }
        return false;
    }

    private bool AnyPeerLacks(Hash256 epochHash, ChunkId chunk, IReadOnlyCollection<RemotePeer> peers) =>
        !RecentlyPushed(chunk) && Lacking(peers, epochHash, chunk, exclude: null).Count > 0;

    private bool RecentlyPushed(ChunkId chunk) => _pushedAt.TryGetValue(chunk, out TimeSpan at) && clock.Now - at < options.RepushAfter;
}
