namespace Mgr.Node.Chain;

/// <summary>What this node knows to be finalized, for serving checkpoints to other nodes.</summary>
public interface IFinalizedHeaderSource
{
    /// <summary>The latest finalized header this node stores (with its RLP), or null before the first one.</summary>
    WeakSubjectivityCheckpoint? LatestFinalized { get; }
}
