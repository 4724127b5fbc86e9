using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A leecher's progress on one account's external storage (spec/swarm.md §4–§5). The slot ranges in the store
/// are at one storage root, <see cref="Root"/>: those confirmed for the current epoch (<see cref="Held"/>: the account
/// leaf of the current epoch names that root) and those not yet confirmed (<see cref="Unconfirmed"/>: held from an
/// earlier epoch, before the account's current leaf is known). When the current leaf names another root, the stored
/// ranges become <see cref="Rollable"/> from <see cref="RollableFrom"/>, an epoch at which the account had the old root.</summary>
internal sealed class StorageProgress(Hash256 root)
{
    /// <summary>The storage root of the ranges in <see cref="Held"/> and <see cref="Unconfirmed"/>.</summary>
    public Hash256 Root { get; } = root;

    /// <summary>Slot ranges at <see cref="Root"/>, which is the account's storage root at the current epoch.</summary>
    public KeyRangeSet Held { get; set; } = KeyRangeSet.Empty;

    /// <summary>Slot ranges at <see cref="Root"/> held from an earlier epoch, not yet confirmed for the current one.</summary>
    public KeyRangeSet Unconfirmed { get; set; } = KeyRangeSet.Empty;

    /// <summary>The latest epoch at which the account's storage root was <see cref="Root"/>.</summary>
    public EpochAnchor? ConfirmedAt { get; set; }

    /// <summary>Slot ranges held at an older storage root, to roll forward to <see cref="Root"/> by diffs.</summary>
    public KeyRangeSet Rollable { get; set; } = KeyRangeSet.Empty;

    /// <summary>An epoch at which the account's storage root was the one <see cref="Rollable"/> is at.</summary>
    public EpochAnchor? RollableFrom { get; set; }

    /// <summary>The chunk depth this account's storage is pulled at.</summary>
    public int Depth { get; set; }
}
