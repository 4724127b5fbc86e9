namespace Mgr.Node.Chain;

/// <summary>The node's view of its consensus-side driver: a one-way stream of <see cref="ConsensusEvent"/>s
/// (checkpoint, finalized blocks, new heads, payloads). The node never calls back.</summary>
/// <remarks>Events arrive in the order the driver sent them. A slow reader may miss old events when the
/// driver outpaces it (see <see cref="ConsensusEventChannel"/>); the latest finalized block always supersedes
/// earlier ones, so nothing needed for sync is lost.</remarks>
public interface IConsensusDriver
{
    /// <summary>Events as they arrive, until <paramref name="cancellation"/> fires or the driver completes.</summary>
    IAsyncEnumerable<ConsensusEvent> ReadEventsAsync(CancellationToken cancellation);
}
