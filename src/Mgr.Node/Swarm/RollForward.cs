using Mgr.Node.Metrics;
using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>Rolls the chunks a leecher holds at older roots forward to its current epoch by verified chunk diffs
/// (spec/swarm.md §5): asks seeders of the epoch for them, applies each diff that verifies against what is stored,
/// and gives a chunk up (to be pulled afresh) when every seeder refused it or its diff failed.</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class RollForward(SwarmOptions options, IKeyValueStore store, LeecherHoldings holdings, RequestBook requests,
                                  IReadOnlyDictionary<PeerHandle, RemotePeer> peers, IClock clock, RequestSender request,
                                  SwarmCounters counters, SwarmMetrics? metrics)
{
    private readonly HashSet<(ChunkId Chunk, PeerHandle Peer)> _refused = [];
    private TimeSpan? _startedAt;

    /// <summary>A new epoch: no seeder has refused anything yet, and the grace has not begun.</summary>
    public void Reset()
    {
        _refused.Clear();
        _startedAt = null;
    }

    /// <summary><paramref name="peer"/> will not serve a diff of <paramref name="chunk"/> (it refused, or let the request
    /// time out): another seeder is asked, and the chunk is pulled when none is left.</summary>
    public void Refused(ChunkId chunk, PeerHandle peer) => _refused.Add((chunk, peer));

    /// <summary>True when the epoch <paramref name="to"/> should be announced: nothing is left to roll, or
    /// <see cref="SwarmOptions.RollGrace"/> has passed since a seeder of it was first seen (rolling goes on; what is
    /// still rollable is not pulled meanwhile).</summary>
    public bool IsDueToAnnounce(EpochAnchor to)
    {
        // The grace runs from when a seeder of the new epoch is first seen: before that nothing can be rolled (or pulled).
        if (peers.Values.Any(peer => peer.IsSeederOf(to.BoundaryHash))) _startedAt ??= clock.Now;
        bool graceOver = _startedAt is { } started && clock.Now - started >= options.RollGrace;
        return !holdings.AnythingToRoll || graceOver;
    }

    /// <summary>Asks seeders of <paramref name="to"/> for diffs of what is held at older roots, chunked at
    /// <paramref name="depth"/>; a chunk every known seeder refused is given up.</summary>
    public void Plan(EpochAnchor to, int depth)
    {
        if (!holdings.AnythingToRoll) return;
        List<RemotePeer> servers = [.. peers.Values.Where(peer => peer.IsSeederOf(to.BoundaryHash))];
        foreach ((ChunkId chunk, EpochAnchor from) in RollableChunks(depth).ToList())
        {
            if (requests.IsRequested(chunk)) continue;
            List<RemotePeer> willing = [.. servers.Where(peer => !_refused.Contains((chunk, peer.Handle)))];
            if (willing.Count == 0)
            {
                // Every seeder we know refused (or, past the grace, there is none): pull the chunk instead.
                if (servers.Count > 0) GiveUp(chunk);
                continue;
            }
            if (requests.Count >= options.MaxPullsInFlight + options.MaxDiffsPerPeer) return;
            RemotePeer? server = willing.Where(peer => requests.InFlightTo(peer.Handle) < options.MaxDiffsPerPeer).OrderBy(peer => requests.InFlightTo(peer.Handle)).FirstOrDefault();
            if (server is null) continue;
            ulong id = requests.NextId();
            request(server, id, new PendingRequest(server.Handle, PendingKind.ChunkDiff, chunk, [], clock.Now),
                    new GetChunkDiff(id, chunk, from.BoundaryHash, from.StateRoot, to.BoundaryHash, to.StateRoot));
        }
    }

    /// <summary>Applies <paramref name="diff"/>, the answer to <paramref name="asked"/>, towards <paramref name="anchor"/>'s
    /// root: verified against the leaves stored for the chunk and committed atomically, or given up when invalid.</summary>
    public RollOutcome Apply(ChunkDiff diff, PendingRequest asked, EpochAnchor anchor)
    {
        if (diff.ToRoot != anchor.StateRoot || asked.Chunk is not { } chunk || diff.Chunk != chunk) return RollOutcome.Ignored;
        // Only while the chunk is still rollable from the root the diff starts at (it may have been pulled meanwhile).
        EpochAnchor? from = chunk.Account is { } owner
            ? holdings.Storage.TryGetValue(owner, out StorageProgress? owned) && owned.Rollable.Contains(chunk.Range) ? owned.RollableFrom : null
            : holdings.Rollable.FromOf(chunk.Range);
        if (from is not { } source || source.StateRoot != diff.FromRoot) return RollOutcome.Ignored;
        IReadOnlyList<TrieLeaf> held = chunk.Account is { } account
            ? LeecherStore.ReadSlots(store, account, chunk.Range)
            : LeecherStore.ReadAccounts(store, chunk.Range);
        ChunkCheck check = ChunkRollForward.Verify(diff, held);
        if (!check.IsValid)
        {
            GiveUp(chunk);
            return RollOutcome.Invalid;
        }
        if (chunk.Account is { } storageAccount)
        {
            if (!holdings.Storage.TryGetValue(storageAccount, out StorageProgress? progress)) return RollOutcome.Ignored;
            SlotEntry[] slots = [.. check.Leaves.Select(static leaf => new SlotEntry(leaf.Key, leaf.Value))];
            LeecherStore.CommitStorage(store, chunk, progress.Root, slots, diff.Proof);
            progress.AddRolled(chunk.Range);
            return RollOutcome.Rolled;
        }
        RolledAccounts rolled = LeecherStore.WithStorage(store, held, check.Leaves, diff.Accounts, holdings.Storage.ContainsKey);
        LeecherStore.CommitAccounts(store, anchor.StateRoot, chunk, rolled.Accounts, diff.Proof,
            [.. holdings.Storage.Where(entry => chunk.Range.Contains(entry.Key))
                                .Select(static entry => (entry.Key, entry.Value.Root, entry.Value.Held.Union(entry.Value.Unconfirmed)))]);
        holdings.AddAccounts(chunk.Range);
        holdings.Learn(store, anchor, rolled.Accounts, entry => rolled.External.Contains(entry.AccountHash));
        return RollOutcome.Rolled;
    }

    // The chunks held at an older root, account chunks at `depth` first, then storage chunks at each account's depth.
    private IEnumerable<(ChunkId Chunk, EpochAnchor From)> RollableChunks(int depth)
    {
        foreach ((ChunkId chunk, EpochAnchor from) in holdings.Rollable.Chunks(depth)) yield return (chunk, from);
        foreach ((Hash256 account, StorageProgress progress) in holdings.Storage)
        {
            if (progress.Rollable.IsEmpty || progress.RollableFrom is not { } from || !holdings.Accounts.Contains(account)) continue;
            var storage = new KeyspacePartition(progress.Depth, account);
            for (ulong i = 0; i < storage.ChunkCount; i++)
            {
                ChunkId chunk = storage.ChunkAt(i);
                if (progress.Rollable.Contains(chunk.Range)) yield return (chunk, from);
            }
        }
    }

    // Stops rolling `chunk`: it is pulled afresh (a heal pull).
    private void GiveUp(ChunkId chunk)
    {
        counters.HealPulls++;
        metrics?.HealPull();
        holdings.StopRolling(chunk);
    }
}
