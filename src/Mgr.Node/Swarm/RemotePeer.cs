using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>What the engine knows about one connected peer: its latest Status, what it holds in the epoch of that
/// Status (announced, sent to it by us, or received from it), requests outstanding towards it, and its budget of
/// control messages.</summary>
/// <remarks>Bounded whatever the peer sends (issue 11): the have-set keeps at most <see cref="MaxTrackedIntervals"/>
/// intervals and <see cref="MaxTrackedStorageAccounts"/> storage accounts. Knowledge past the cap is dropped, never
/// invented: what is kept is always a subset of what the peer announced or exchanged, so the only cost of the cap is
/// that we may not know a flooding (or very fragmented) peer holds something and ask someone else.</remarks>
internal sealed class RemotePeer(PeerHandle handle)
{
    /// <summary>Most intervals (account and storage have-sets together) kept per peer: 16,384 intervals of two 32-byte
    /// keys are 1 MiB. An honest leecher's have-set is a few ride runs plus pulled gaps, far below it.</summary>
    public const int MaxTrackedIntervals = 16_384;

    /// <summary>Most accounts whose external storage have-sets are kept per peer: as many as one Status may carry.</summary>
    public const int MaxTrackedStorageAccounts = Limits.MaxStorageHaveEntries;

    private Dictionary<Hash256, KeyRangeSet> _storage = [];
    private Dictionary<Hash256, KeyRangeSet> _rollingStorage = [];
    private int _storageIntervals;
    private double _controlTokens = double.NaN;
    private TimeSpan _controlRefilledAt;
    private Hash256? _leechedEpoch;

    public PeerHandle Handle { get; } = handle;

    public Status? Status { get; set; }

    public KeyRangeSet Accounts { get; private set; } = KeyRangeSet.Empty;

    public IReadOnlyDictionary<Hash256, KeyRangeSet> Storage => _storage;

    /// <summary>Intervals held for this peer now (accounts plus storage): at most <see cref="MaxTrackedIntervals"/>.</summary>
    public int TrackedIntervals => Accounts.Count + _storageIntervals;

    public long PushedBytes { get; set; }

    /// <summary>Until when this peer is not asked for chunks: it answered one Busy.</summary>
    public TimeSpan BusyUntil { get; set; }

    /// <summary>Payload bytes received from this peer.</summary>
    public long BytesIn { get; set; }

    /// <summary>Payload bytes sent to this peer.</summary>
    public long BytesOut { get; set; }

    public bool IsSeederOf(Hash256 epochHash) => Status is { Role: Role.Seeder, Epoch: { } epoch } && epoch.BoundaryHash == epochHash;

    /// <summary>True when the peer is a seeder of the epoch that announced it as a leecher first: it synced alongside us
    /// and serves what it holds, but does not ride (only a configured seeder does), so a pull from it costs no ride
    /// copy.</summary>
    public bool IsFinishedLeecherOf(Hash256 epochHash) => IsSeederOf(epochHash) && _leechedEpoch == epochHash;

    public bool IsOnEpoch(Hash256 epochHash) => Status?.Epoch is { } epoch && epoch.BoundaryHash == epochHash;

    public bool HoldsAccounts(Hash256 epochHash, KeyRange range) =>
        IsOnEpoch(epochHash) && (IsSeederOf(epochHash) || Accounts.Contains(range));

    /// <summary>True when the peer holds <paramref name="range"/> at the epoch or held it at the previous one (and
    /// rolls it forward itself).</summary>
    public bool HoldsOrRollsAccounts(Hash256 epochHash, KeyRange range) =>
        HoldsAccounts(epochHash, range) || (IsOnEpoch(epochHash) && RollingAccounts.Contains(range));

    public bool HoldsStorage(Hash256 epochHash, Hash256 account, KeyRange range) =>
        IsOnEpoch(epochHash) && (IsSeederOf(epochHash) || (_storage.TryGetValue(account, out KeyRangeSet? held) && held.Contains(range)));

    /// <summary>True when the peer holds <paramref name="range"/> of the account's storage at the epoch or held it at
    /// the previous one: it confirms that storage by the account's new leaf, or rolls it forward by diffs itself.</summary>
    public bool HoldsOrRollsStorage(Hash256 epochHash, Hash256 account, KeyRange range) =>
        HoldsStorage(epochHash, account, range) ||
        (IsOnEpoch(epochHash) && _rollingStorage.TryGetValue(account, out KeyRangeSet? rolling) && rolling.Contains(range));

    /// <summary>True when the peer holds <paramref name="chunk"/> (accounts or storage) at the epoch.</summary>
    public bool Holds(Hash256 epochHash, ChunkId chunk) => chunk.Account is { } account
        ? HoldsStorage(epochHash, account, chunk.Range)
        : HoldsAccounts(epochHash, chunk.Range);

    public void MarkHolds(Hash256? account, KeyRange range)
    {
        if (account is not { } key) TrySetAccounts(Accounts.Union(KeyRangeSet.Of(range)));
        else TrySetStorage(key, _storage.TryGetValue(key, out KeyRangeSet? held) ? held.Union(KeyRangeSet.Of(range)) : KeyRangeSet.Of(range));
    }

    /// <summary>Stops believing the peer holds <paramref name="chunk"/> (it answered Unavailable for it, or let the request
    /// time out), so the chunk is asked of someone else; a later Status or Haves may announce it again.</summary>
    public void Forget(ChunkId chunk)
    {
        if (chunk.Account is not { } account)
        {
            TrySetAccounts(Accounts.Except(KeyRangeSet.Of(chunk.Range)));
            return;
        }
        if (_storage.TryGetValue(account, out KeyRangeSet? held)) TrySetStorage(account, held.Except(KeyRangeSet.Of(chunk.Range)));
    }

    /// <summary>The account keyspace the peer held at the epoch before its current one (from its last have-set there):
    /// a leecher rolls those chunks forward by diffs, so nobody pushes them to it. Its storage have-sets there are kept
    /// alike (<see cref="HoldsOrRollsStorage"/>).</summary>
    public KeyRangeSet RollingAccounts { get; private set; } = KeyRangeSet.Empty;

    public void Adopt(Status status)
    {
        if (Status?.Epoch is { } old && status.Epoch is { } now && now.BoundaryHash != old.BoundaryHash)
        {
            bool forward = old.Number < now.Number;
            RollingAccounts = forward ? Accounts : KeyRangeSet.Empty;
            (_rollingStorage, _storage) = (_storage, _rollingStorage);
            if (!forward) _rollingStorage.Clear();
        }
        Status = status;
        if (status is { Role: Role.Leecher, Epoch: { } leeched }) _leechedEpoch = leeched.BoundaryHash;
        Accounts = KeyRangeSet.Empty;
        _storage.Clear();
        _storageIntervals = 0;
        if (!TrySetAccounts(status.HaveAccounts)) TrySetAccounts(KeyRangeSet.From(status.HaveAccounts.Intervals[..(MaxTrackedIntervals / 2)].ToArray()));
        foreach (StorageHave entry in status.HaveStorage) TrySetStorage(entry.Account, entry.Slots);
    }

    public void Add(Haves haves)
    {
        TrySetAccounts(Accounts.Union(haves.Accounts));
        foreach (StorageHave entry in haves.Storage)
            TrySetStorage(entry.Account, _storage.TryGetValue(entry.Account, out KeyRangeSet? held) ? held.Union(entry.Slots) : entry.Slots);
    }

    /// <summary>Takes one control message (Status, Haves, a request) from a token bucket that refills at
    /// <paramref name="perSecond"/> and holds at most <paramref name="burst"/>; false when the peer is over its budget.</summary>
    public bool TryTakeControlToken(TimeSpan now, double perSecond, int burst)
    {
        if (double.IsNaN(_controlTokens)) _controlTokens = burst;
        else _controlTokens = Math.Min(burst, _controlTokens + (now - _controlRefilledAt).TotalSeconds * perSecond);
        _controlRefilledAt = now;
        if (_controlTokens < 1) return false;
        _controlTokens--;
        return true;
    }

    // Replaces the account have-set unless that would pass the cap; false (nothing changed) when it would.
    private bool TrySetAccounts(KeyRangeSet accounts)
    {
        if (accounts.Count + _storageIntervals > MaxTrackedIntervals) return false;
        Accounts = accounts;
        return true;
    }

    // Replaces one account's storage have-set unless that would pass either cap; false (nothing changed) when it would.
    private bool TrySetStorage(Hash256 account, KeyRangeSet slots)
    {
        int previous = _storage.TryGetValue(account, out KeyRangeSet? held) ? held.Count : -1;
        if (previous < 0 && _storage.Count >= MaxTrackedStorageAccounts) return false;
        int intervals = _storageIntervals - Math.Max(previous, 0) + slots.Count;
        if (Accounts.Count + intervals > MaxTrackedIntervals) return false;
        _storage[account] = slots;
        _storageIntervals = intervals;
        return true;
    }
}
