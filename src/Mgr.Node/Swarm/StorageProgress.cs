using Mgr.Protocol.Chunking;
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

    /// <summary>A storage chunk pulled and verified at <see cref="Root"/>: held, no longer rollable or unconfirmed. The
    /// first chunk held sets the depth the rest is pulled at when it is deeper.</summary>
    public void AddPulled(ChunkId chunk)
    {
        if (Held.IsEmpty && chunk.Depth > Depth) Depth = chunk.Depth;
        Held = Held.Union(KeyRangeSet.Of(chunk.Range));
        Rollable = Rollable.Except(KeyRangeSet.Of(chunk.Range));
        Unconfirmed = Unconfirmed.Except(KeyRangeSet.Of(chunk.Range));
    }

    /// <summary>A storage chunk rolled forward to <see cref="Root"/> by a verified diff.</summary>
    public void AddRolled(KeyRange range)
    {
        Held = Held.Union(KeyRangeSet.Of(range));
        Rollable = Rollable.Except(KeyRangeSet.Of(range));
    }
}
