using Mgr.Trie.Primitives;

namespace Mgr.Node.Demo;

/// <summary>One row of the demo's final table. <see cref="Root"/> of a leecher is the root the demo recomputed from
/// the leecher's own store after it stopped (<see cref="RootVerifiedInStore"/>); the seeder's is the root it reported.
/// A leecher that went on to follow the chain by state diffs holds the state of a later block
/// (<see cref="StateBlock"/>), whose root it must then match. <see cref="DuplicateBytes"/> is null when the node does
/// not publish it.</summary>
public sealed record DemoNodeResult(string Name, string Role, Hash256? Root, bool RootVerifiedInStore, bool Synced, double? SecondsToSynced,
    long BytesIn, long BytesOut, long? DuplicateBytes, string? Problem)
{
    /// <summary>The later block whose state a following leecher's store holds, and that block's root in the devnet;
    /// null when the store holds the epoch's state.</summary>
    public (ulong Number, Hash256 Root)? StateBlock { get; init; }

    /// <summary>Duplicate bytes over bytes downloaded, null when either is unknown or nothing was downloaded.</summary>
    public double? DuplicateRatio => DuplicateBytes is { } duplicate && BytesIn > 0 ? (double)duplicate / BytesIn : null;
}
