using Mgr.Node.Swarm;

namespace Mgr.Node.Stages;

/// <summary>What the swarm stages need of the running swarm engine: hand it a finalized epoch and read where it stands.
/// Implemented by the node over its engine loop, and by fakes in tests.</summary>
public interface ISwarmControl
{
    /// <summary>Hands a finalized epoch boundary (read from the node's own verified headers) to the engine.</summary>
    void OnEpochFinalized(EpochAnchor anchor);

    /// <summary>The engine's progress on its current epoch.</summary>
    Task<SwarmProgress> ProgressAsync(CancellationToken cancellation);
}
