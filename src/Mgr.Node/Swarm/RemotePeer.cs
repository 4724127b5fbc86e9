using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>What the engine knows about one connected peer: its latest Status, what it holds in the epoch of that
/// Status (announced, sent to it by us, or received from it), requests outstanding towards it.</summary>
internal sealed class RemotePeer(PeerHandle handle)
{
    public PeerHandle Handle { get; } = handle;

    public Status? Status { get; set; }

    public KeyRangeSet Accounts { get; set; } = KeyRangeSet.Empty;

    public Dictionary<Hash256, KeyRangeSet> Storage { get; } = [];

    public int PullsInFlight { get; set; }

    public long PushedBytes { get; set; }

    /// <summary>Payload bytes received from this peer.</summary>
    public long BytesIn { get; set; }

    /// <summary>Payload bytes sent to this peer.</summary>
    public long BytesOut { get; set; }

    public bool IsSeederOf(Hash256 epochHash) => Status is { Role: Role.Seeder, Epoch: { } epoch } && epoch.BoundaryHash == epochHash;

    public bool IsOnEpoch(Hash256 epochHash) => Status?.Epoch is { } epoch && epoch.BoundaryHash == epochHash;

    public bool HoldsAccounts(Hash256 epochHash, KeyRange range) =>
        IsOnEpoch(epochHash) && (IsSeederOf(epochHash) || Accounts.Contains(range));

    /// <summary>True when the peer holds <paramref name="range"/> at the epoch or held it at the previous one (and
    /// rolls it forward itself).</summary>
    public bool HoldsOrRollsAccounts(Hash256 epochHash, KeyRange range) =>
        HoldsAccounts(epochHash, range) || (IsOnEpoch(epochHash) && RollingAccounts.Contains(range));

    public bool HoldsStorage(Hash256 epochHash, Hash256 account, KeyRange range) =>
        IsOnEpoch(epochHash) && (IsSeederOf(epochHash) || (Storage.TryGetValue(account, out KeyRangeSet? held) && held.Contains(range)));

    public void MarkHolds(Hash256? account, KeyRange range)
    {
        if (account is not { } key)
        {
            Accounts = Accounts.Union(KeyRangeSet.Of(range));
            return;
        }
        Storage[key] = Storage.TryGetValue(key, out KeyRangeSet? held) ? held.Union(KeyRangeSet.Of(range)) : KeyRangeSet.Of(range);
    }

    /// <summary>The account keyspace the peer held at the epoch before its current one (from its last have-set there):
    /// a leecher rolls those chunks forward by diffs, so nobody pushes them to it.</summary>
    public KeyRangeSet RollingAccounts { get; private set; } = KeyRangeSet.Empty;

    public void Adopt(Status status)
    {
        if (Status?.Epoch is { } old && status.Epoch is { } now && now.BoundaryHash != old.BoundaryHash)
            RollingAccounts = old.Number < now.Number ? Accounts : KeyRangeSet.Empty;
        Status = status;
        Accounts = status.HaveAccounts;
        Storage.Clear();
        foreach (StorageHave entry in status.HaveStorage) Storage[entry.Account] = entry.Slots;
    }

    public void Add(Haves haves)
    {
        Accounts = Accounts.Union(haves.Accounts);
        foreach (StorageHave entry in haves.Storage)
            Storage[entry.Account] = Storage.TryGetValue(entry.Account, out KeyRangeSet? held) ? held.Union(entry.Slots) : entry.Slots;
    }
}
