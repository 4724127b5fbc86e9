using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A leecher's progress on one account's external storage at the current epoch: the storage root its account
/// leaf names, the slot ranges held at that root, the depth to pull at, and the slot ranges still in the store from
/// an older root that may be rolled forward by diffs.</summary>
internal sealed class StorageProgress(Hash256 root)
{
    public Hash256 Root { get; } = root;

    public KeyRangeSet Held { get; set; } = KeyRangeSet.Empty;

    public int Depth { get; set; }

    public KeyRangeSet Rollable { get; set; } = KeyRangeSet.Empty;
}
