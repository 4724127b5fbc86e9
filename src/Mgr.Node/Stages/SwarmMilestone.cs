namespace Mgr.Node.Stages;

/// <summary>The point in a swarm sync that each of the pipeline's state stages waits for (spec/swarm.md §4–§6).</summary>
public enum SwarmMilestone
{
    /// <summary>State stage: every account chunk of the epoch is held at its root.</summary>
    AccountsHeld,
    /// <summary>Heal stage: external storage, code and everything rolled forward is held too (what diffs could not
    /// roll was pulled again: the bounded heal).</summary>
    Complete,
    /// <summary>Verify stage: the root recomputed from the store equals the epoch's state root.</summary>
    Verified,
    /// <summary>Serve stage: the node announces and serves the epoch as a seeder.</summary>
    Serving,
}
