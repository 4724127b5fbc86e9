namespace Mgr.Node.Stages;

/// <summary>The stages of the pipeline, in execution order. Values are persisted as checkpoint keys:
/// never renumber them, only append.</summary>
public enum StageId : ushort
{
    /// <summary>Reverse header sync from the finalized block down to the checkpoint.</summary>
    Headers = 1,
    /// <summary>The MGR swarm: state download.</summary>
    State = 2,
    /// <summary>Fill the gaps left by pivot moves.</summary>
    Heal = 3,
    /// <summary>Verify the complete state against the finalized root.</summary>
    Verify = 4,
    /// <summary>Serve state to other peers.</summary>
    Serve = 5,
    /// <summary>Optional (off by default): headers below the checkpoint down to genesis, using preverified hashes.</summary>
    Backfill = 6,
}
