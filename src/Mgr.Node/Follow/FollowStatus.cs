namespace Mgr.Node.Follow;

/// <summary>The result kind of one follow step (<see cref="FollowOutcome"/>).</summary>
public enum FollowStatus
{
    /// <summary>The head is at the requested block (it moved, possibly across branches, or was there already).</summary>
    Followed,
    /// <summary>A header or diff could not be had from anyone: retry on the next head update.</summary>
    Unavailable,
    /// <summary>Every answer for a block was refused (<see cref="FollowOutcome.Rejection"/> holds the last reason).</summary>
    Rejected,
    /// <summary>The layers are full (<see cref="FollowError.LayerLimit"/>) or the new head is more than
    /// <see cref="FollowOptions.MaxLayers"/> blocks from anything held: finalization must catch up, or the node must
    /// sync the state again.</summary>
    TooFarAhead,
    /// <summary>The requested block is not on a chain through the finalized state.</summary>
    ConflictsWithBase,
}
