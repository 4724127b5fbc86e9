namespace Mgr.Protocol.Epochs;

/// <summary>Which block is an epoch's boundary (spec/mgr-protocol.md §5.1): epoch k's boundary is the
/// canonical block at height k·<see cref="EpochLength"/>, usable once finalized. Every node following the
/// same finalized chain derives the same epochs without talking to anyone.</summary>
public sealed class EpochSchedule
{
    public EpochSchedule(ulong epochLength)
    {
        ArgumentOutOfRangeException.ThrowIfZero(epochLength);
        EpochLength = epochLength;
    }

    /// <summary>Blocks per epoch (a network parameter).</summary>
    public ulong EpochLength { get; }

    /// <summary>The epoch whose boundary is the latest one at or below the finalized height.</summary>
    public ulong CurrentEpoch(ulong finalizedNumber) => finalizedNumber / EpochLength;

    /// <summary>Height of epoch <paramref name="epoch"/>'s boundary block.</summary>
    /// <exception cref="OverflowException">When the height does not fit in 64 bits.</exception>
    public ulong BoundaryNumber(ulong epoch) => checked(epoch * EpochLength);

    /// <summary>True when block <paramref name="number"/> is an epoch boundary.</summary>
    public bool IsBoundary(ulong number) => number % EpochLength == 0;
}
