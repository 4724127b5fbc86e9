namespace Mgr.Node.Devnet;

/// <summary>How the devnet producer paces and finalizes the chain.</summary>
public sealed record DevnetProducerOptions
{
    /// <summary>Time between blocks (the slot time).</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>Blocks between the head and the finalized block; safe sits halfway.</summary>
    public ulong FinalityLag { get; init; } = 8;

    /// <summary>Per-engine time limit of each Engine API call.</summary>
    public TimeSpan EngineCallTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
