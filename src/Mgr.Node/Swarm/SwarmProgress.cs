using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Swarm;

/// <summary>Where an engine stands on its current epoch, as the pipeline's swarm stages and the status display read it:
/// the epoch, the account keyspace held at its root, how many accounts' external storage and how many code blobs are
/// still missing, and whether the state verified (the engine then serves it as a seeder).</summary>
public sealed record SwarmProgress(EpochAnchor? Anchor, Role Role, KeyRangeSet HeldAccounts, int StoragePending, int CodesMissing, bool Synced)
{
    /// <summary>Accounts with external storage known at the current epoch (complete or not).</summary>
    public int StorageAccounts { get; init; }

    /// <summary>Every account chunk of <see cref="Anchor"/> is held.</summary>
    public bool AccountsComplete => Synced || HeldAccounts.IsFull;

    /// <summary>Accounts, external storage and code of <see cref="Anchor"/> are all held.</summary>
    public bool Complete => Synced || (HeldAccounts.IsFull && StoragePending == 0 && CodesMissing == 0);
}
