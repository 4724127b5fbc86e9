using Mgr.Trie.Primitives;

namespace Mgr.Node.Demo;

/// <summary>One row of the demo's final table. <see cref="Root"/> of a leecher is the root the demo recomputed from
/// the leecher's own store after it stopped (<see cref="RootVerifiedInStore"/>); the seeder's is the root it reported.
/// <see cref="DuplicateBytes"/> is null when the node does not publish it.</summary>
public sealed record DemoNodeResult(string Name, string Role, Hash256? Root, bool RootVerifiedInStore, bool Synced, double? SecondsToSynced,
    long BytesIn, long BytesOut, long? DuplicateBytes, string? Problem)
{
    /// <summary>Duplicate bytes over bytes downloaded, null when either is unknown or nothing was downloaded.</summary>
    public double? DuplicateRatio => DuplicateBytes is { } duplicate && BytesIn > 0 ? (double)duplicate / BytesIn : null;
}
