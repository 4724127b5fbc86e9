using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A finalized epoch boundary as the node's own consensus driver reports it: the trust anchor every
/// StateData of the epoch is verified against (spec/mgr-protocol.md §5.1). Never taken from a peer.</summary>
public readonly record struct EpochAnchor(ulong Number, Hash256 BoundaryHash, Hash256 StateRoot)
{
    /// <summary>Where the epoch's ride starts: the boundary hash (§5.1).</summary>
    public Hash256 StartKey => BoundaryHash;

    /// <summary>The order the epoch's ride visits its account chunks at <paramref name="depth"/>.</summary>
    public RideOrder RideAt(int depth) => new KeyspacePartition(depth).RideFrom(StartKey);
}
