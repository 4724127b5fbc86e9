namespace Mgr.Node.Follow;

/// <summary>Why a rollback was refused or stopped. The first two are the operator's input (nothing was changed); the
/// others are problems of the store (a rollback that stopped leaves the state at a consistent earlier block, which the
/// state-block marker names).</summary>
public enum RollbackError
{
    /// <summary>The target is above the block whose state the store holds.</summary>
    TargetAboveState,
    /// <summary>The target is older than the kept backward diffs allow (at most <see cref="StateHistory.BackwardWindowBlocks"/>
    /// blocks back, and only as far as diffs were recorded).</summary>
    BeyondWindow,
    /// <summary>A header on the way, or the canonical header at the target, is not stored.</summary>
    MissingHeader,
    /// <summary>The chain of the held state does not pass through the canonical block at the target.</summary>
    NotCanonical,
    /// <summary>A backward diff belongs to another block or cannot be decoded.</summary>
    CorruptHistory,
    /// <summary>A backward diff does not lead to its parent header's state root.</summary>
    RootMismatch,
}
