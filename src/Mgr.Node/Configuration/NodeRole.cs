namespace Mgr.Node.Configuration;

/// <summary>The role a node is asked to take (<c>--role</c>).</summary>
public enum NodeRole
{
    /// <summary>Seeder if the store holds the full state of the finalized epoch, otherwise leecher.</summary>
    Auto,

    /// <summary>Serves the full state of each finalized epoch and rides it.</summary>
    Seeder,

    /// <summary>Syncs the state from the swarm, then seeds.</summary>
    Leecher,
}
