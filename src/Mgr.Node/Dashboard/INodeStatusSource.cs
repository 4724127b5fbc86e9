namespace Mgr.Node.Dashboard;

/// <summary>Where the dashboard and the live progress display read the node's state from.</summary>
/// <remarks>Implementations must be thread-safe and must not block on the engine's loop: the dashboard's HTTP thread
/// and the progress loop each call <see cref="Snapshot"/> about once per second. Return the latest published
/// snapshot.</remarks>
public interface INodeStatusSource
{
    /// <summary>The node's state as of now (or the last time it was published).</summary>
    NodeStatusSnapshot Snapshot();
}
