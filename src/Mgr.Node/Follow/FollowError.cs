namespace Mgr.Node.Follow;

/// <summary>Why follow mode cannot take a step. None of these is a peer's fault (peer faults are
/// <see cref="DiffRejectionReason"/>s).</summary>
public enum FollowError
{
    /// <summary>The in-memory layers are at <see cref="FollowOptions.MaxLayers"/> or <see cref="FollowOptions.MaxLayerBytes"/>:
    /// no block is added until finalization flattens some (the chain is not finalizing, or the node fell behind).</summary>
    LayerLimit,
    /// <summary>The block's parent is neither a layer nor the persistent state.</summary>
    UnknownParent,
    /// <summary>The block is not on a chain through the persistent (finalized) state: it would revert finalized blocks.</summary>
    ConflictsWithBase,
    /// <summary>A finalized block that is neither a layer nor at or below the persistent state.</summary>
    UnknownFinalized,
    /// <summary>The persistent state lacks trie nodes a diff needs: the store is damaged or incomplete.</summary>
    StateIncomplete,
}
