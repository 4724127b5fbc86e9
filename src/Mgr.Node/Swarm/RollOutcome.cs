namespace Mgr.Node.Swarm;

/// <summary>What became of a chunk diff a peer sent (<see cref="RollForward.Apply"/>).</summary>
internal enum RollOutcome
{
    /// <summary>Not applicable now (another epoch, another chunk, or the chunk was meanwhile pulled): dropped.</summary>
    Ignored,

    /// <summary>Verified against what is stored and committed: the chunk is held at the current root.</summary>
    Rolled,

    /// <summary>Failed verification: the sender is at fault and the chunk is pulled afresh.</summary>
    Invalid,
}
