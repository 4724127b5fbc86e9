using System.Collections.Concurrent;
using Mgr.Node.Storage;
using Mgr.Protocol.Identity;

namespace Mgr.Node.Peers;

/// <summary>Bans that outlive a restart: each ban the engine gives is written to the store
/// (<see cref="PeerPenaltyStore"/>, peer id → banned-until), and at start the node reads back the bans still running
/// and refuses those peers' sessions until they end. Expired entries are deleted when read.</summary>
/// <remarks>Thread-safe. A peer banned again after a restart gets a fresh entry; the in-process score book keeps
/// deciding new bans.</remarks>
public sealed class PersistentBans
{
    private readonly IKeyValueStore _store;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<PeerId, DateTimeOffset> _until = new();

    /// <summary>Loads the bans still running from <paramref name="store"/> and deletes the expired ones.</summary>
    public PersistentBans(IKeyValueStore store, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _time = time ?? TimeProvider.System;
        DateTimeOffset now = _time.GetUtcNow();
        using IWriteBatch expired = _store.BeginBatch();
        bool any = false;
        foreach ((byte[] id, PeerPenalty penalty) in PeerPenaltyStore.ReadAll(_store))
        {
            if (penalty.IsBannedAt(now) && PeerId.TryFromMultihash(id, out PeerId? peer))
            {
                _until[peer] = DateTimeOffset.FromUnixTimeMilliseconds(penalty.BannedUntilUnixMs);
                continue;
            }
            PeerPenaltyStore.Delete(expired, id);
            any = true;
        }
        if (any) expired.Commit();
    }

    /// <summary>Peers under a ban now (loaded or recorded).</summary>
    public int Count => _until.Count(entry => entry.Value > _time.GetUtcNow());

    /// <summary>True while <paramref name="peer"/> is banned.</summary>
    public bool IsBanned(PeerId peer)
    {
        if (!_until.TryGetValue(peer, out DateTimeOffset until)) return false;
        if (until > _time.GetUtcNow()) return true;
        _until.TryRemove(peer, out _);
        return false;
    }

    /// <summary>Records a ban of <paramref name="peer"/> for <paramref name="duration"/> and persists it.</summary>
    public void Ban(PeerId peer, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(peer);
        DateTimeOffset until = _time.GetUtcNow() + duration;
        _until[peer] = until;
        using IWriteBatch batch = _store.BeginBatch();
        PeerPenaltyStore.Write(batch, peer.Multihash, new PeerPenalty(0, until.ToUnixTimeMilliseconds()));
        batch.Commit();
    }
}
