namespace Mgr.Node.Simulation;

/// <summary>How the simulated leechers get the state (spec/simulator.md).</summary>
public enum SimulationMode
{
    /// <summary>MGR swarming: the seeders ride and push, leechers forward, Have and pull from each other.</summary>
    Swarm,

    /// <summary>Snap-sync style: each leecher is connected to the seeders only and pulls every chunk from them.</summary>
    ClientServer,
}
