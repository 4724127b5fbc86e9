namespace Mgr.Node.Swarm;

/// <summary>Monotonic time as the swarm engine sees it: wall time in a node, virtual time in a simulation.</summary>
public interface IClock
{
    /// <summary>Time elapsed since an arbitrary fixed origin; never decreases.</summary>
    TimeSpan Now { get; }
}
