namespace Mgr.Protocol.Framing;

/// <summary>How long a peer may take to send one frame once it has started it: <see cref="Base"/> plus the frame's
/// announced length at <see cref="MinBytesPerSecond"/>. A peer that dribbles a frame (slowloris) is cut off; a peer
/// that is merely quiet between frames is not (an MGR session may idle for minutes).</summary>
/// <param name="Base">Time allowed for any frame, however small.</param>
/// <param name="MinBytesPerSecond">Slowest transfer rate tolerated for a large frame.</param>
public sealed record FrameTimeout(TimeSpan Base, long MinBytesPerSecond)
{
    /// <summary>10 s plus 64 KiB/s: a 4 MiB chunk may take 74 s, a 100-byte frame 10 s.</summary>
    public static FrameTimeout Default { get; } = new(TimeSpan.FromSeconds(10), 64 * 1024);

    /// <summary>Time allowed for a frame of <paramref name="frameLength"/> bytes (0 while its length is not read yet).</summary>
    public TimeSpan For(ulong frameLength) => Base + TimeSpan.FromSeconds((double)frameLength / Math.Max(1, MinBytesPerSecond));
}
