namespace Mgr.Node.Follow;

/// <summary>Bounds and retry policy of follow mode. Defaults suit mainnet; tests lower them.</summary>
public sealed record FollowOptions
{
    /// <summary>Most non-finalized blocks held in memory (all branches together). Mainnet finality lags 64–96 blocks;
    /// 256 rides out a few epochs without finality. Past it a new block is refused (<see cref="FollowError.LayerLimit"/>),
    /// memory does not grow.</summary>
    public int MaxLayers { get; init; } = 256;

    /// <summary>Most estimated bytes of all layers together (writes, trie nodes, diffs): the same refusal past it.</summary>
    public long MaxLayerBytes { get; init; } = 1L << 30;

    /// <summary>Attempts to fetch one block's diff (or header) when answers are refused; a missing answer (null) ends the
    /// attempt at once, as no peer has it.</summary>
    public int MaxFetchAttempts { get; init; } = 3;

    /// <summary>Diffs fetched ahead while catching up a run of blocks (each is verified in order).</summary>
    public int MaxParallelFetches { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxLayers < 1) throw new ArgumentException("MaxLayers must be at least 1.", nameof(MaxLayers));
        if (MaxLayerBytes < 1) throw new ArgumentException("MaxLayerBytes must be positive.", nameof(MaxLayerBytes));
        if (MaxFetchAttempts < 1) throw new ArgumentException("MaxFetchAttempts must be at least 1.", nameof(MaxFetchAttempts));
        if (MaxParallelFetches < 1) throw new ArgumentException("MaxParallelFetches must be at least 1.", nameof(MaxParallelFetches));
    }
}
