namespace Mgr.Node.Follow;

/// <summary>Why a peer's state diff (or header) for a block was refused. Every reason is the sender's fault and costs
/// it the serious <c>InvalidStateDiff</c> penalty (spec/mgr-protocol.md §4.11); nothing of the diff is kept.</summary>
public enum DiffRejectionReason
{
    /// <summary>The diff is not a well-formed state diff (strict decoding failed).</summary>
    MalformedDiff,
    /// <summary>Applied to the parent's state, the diff does not give the header's state root.</summary>
    RootMismatch,
    /// <summary>The diff changes the storage of an account that does not exist.</summary>
    MissingAccount,
    /// <summary>The diff gives an account code that is neither held nor carried by the diff.</summary>
    MissingCode,
    /// <summary>A header fetched by hash does not hash to what was asked for, or does not follow its child.</summary>
    WrongHeader,
}
