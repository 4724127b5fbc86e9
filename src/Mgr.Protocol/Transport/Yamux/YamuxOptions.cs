namespace Mgr.Protocol.Transport.Yamux;

/// <summary>Limits and tuning of a <see cref="YamuxSession"/>. The defaults suit a libp2p host.</summary>
public sealed record YamuxOptions
{
    /// <summary>The window every stream starts with, fixed by the spec (256 KiB).</summary>
    public const int SpecInitialWindowBytes = 256 * 1024;

    /// <summary>Receive window granted to each new stream; values above 256 KiB are announced with the SYN/ACK.</summary>
    public int InitialStreamWindowBytes { get; init; } = SpecInitialWindowBytes;

    /// <summary>Ceiling for window auto-tuning: the most unread data one stream may buffer. 4 MiB keeps a node's sessions
    /// within its memory bound (docs/limits.md §2) and still fills 40 MB/s per stream at a 100 ms round trip.</summary>
    public int MaxStreamWindowBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Ceiling on the sum of all stream windows of the session, so many fast streams cannot pin
    /// MaxStreamWindowBytes each (auto-tuning stops growing windows once it is reached).</summary>
    public long MaxSessionWindowBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Grow a stream's window (doubling, up to the ceiling) when its reader drains it within a few RTTs.</summary>
    public bool WindowAutoTuning { get; init; } = true;

    /// <summary>Streams the peer may have open at once; further SYNs are reset.</summary>
    public int MaxInboundStreams { get; init; } = 256;

    /// <summary>Streams this side may have open at once; further opens fail with <see cref="YamuxError.TooManyStreams"/>.</summary>
    public int MaxOutboundStreams { get; init; } = 256;

    /// <summary>Inbound streams waiting for <see cref="YamuxSession.AcceptStreamAsync"/>; they are acknowledged only
    /// when accepted, so this is also the ACK backlog the spec asks peers to respect (256).</summary>
    public int AcceptBacklog { get; init; } = 256;

    /// <summary>Outbound streams not yet acknowledged by the peer; opens beyond it wait (spec: at most 256).</summary>
    public int MaxAckBacklog { get; init; } = 256;

    /// <summary>Consecutive refused inbound streams after which the peer is judged to be flooding.</summary>
    public int MaxRefusedStreams { get; init; } = 256;

    /// <summary>Ping responses and stream resets queued but not yet written; a peer that makes more pile up is not reading.</summary>
    public int MaxPendingControlFrames { get; init; } = 256;

    /// <summary>Size of the buffer frames are read into.</summary>
    public int ReadBufferBytes { get; init; } = 64 * 1024;

    /// <summary>Size of the buffer the write loop gathers frames into before one write to the connection.</summary>
    public int WriteBufferBytes { get; init; } = 256 * 1024;

    /// <summary>How long closing waits for queued frames (the go-away) to reach the connection.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of keep-alive pings; null disables them. A ping unanswered for an interval ends the session.</summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    internal void Validate()
    {
        if (InitialStreamWindowBytes < SpecInitialWindowBytes) throw new ArgumentException("The initial window cannot be below the spec's 256 KiB.");
        if (MaxStreamWindowBytes < InitialStreamWindowBytes) throw new ArgumentException("MaxStreamWindowBytes must be at least the initial window.");
        if (MaxInboundStreams < 1 || MaxOutboundStreams < 1 || AcceptBacklog < 1 || MaxAckBacklog < 1) throw new ArgumentException("Stream limits must be positive.");
        if (ReadBufferBytes < 1024 || WriteBufferBytes < 1024) throw new ArgumentException("Buffers must hold at least 1 KiB.");
    }
}
