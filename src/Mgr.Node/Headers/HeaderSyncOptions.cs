namespace Mgr.Node.Headers;

/// <summary>Tuning of the header download.</summary>
public sealed record HeaderSyncOptions
{
    /// <summary>Default for <c>--headers-mem-limit</c>: 64 MiB holds about 500 slices of 192 headers.</summary>
    public const long DefaultMemoryLimitBytes = 64L * 1024 * 1024;

    /// <summary>Bytes of headers held in memory at once (in flight, verified, or awaiting storage).</summary>
    public long MemoryLimitBytes { get; init; } = DefaultMemoryLimitBytes;

    /// <summary>How long a peer may take to answer one request before it counts as no answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests outstanding at one peer at once.</summary>
    public int MaxInFlightPerPeer { get; init; } = 2;

    /// <summary>Headers connected before a stage step stores them (one batch).</summary>
    public int HeadersPerStep { get; init; } = 16 * ReverseHeaderFeed.SliceSize;

    /// <summary>Penalty score at which a peer is no longer asked.</summary>
    public int BanThreshold { get; init; } = 100;

    /// <summary>How long the download waits for a usable peer to appear when it has none (none connected yet, or every
    /// one penalized out) before giving up with <see cref="HeaderSyncException"/>. Zero gives up at once; a running
    /// node, whose peers come and go, waits.</summary>
    public TimeSpan PeerWait { get; init; } = TimeSpan.Zero;
}
