namespace Mgr.Node.Swarm.Simulation;

/// <summary>A simulated node's access link: upload and download capacity in bytes per second (0 = unlimited). Each
/// direction is one serialised queue shared by all of the node's sessions (spec/simulator.md, "Network model").</summary>
public readonly record struct NodeCapacity(long UploadBytesPerSecond, long DownloadBytesPerSecond)
{
    /// <summary>Time to push <paramref name="bytes"/> through a link of <paramref name="bytesPerSecond"/> (zero when unlimited),
    /// rounded up to whole ticks so that a queue never runs faster than its rate.</summary>
    public static TimeSpan TransferTime(long bytes, long bytesPerSecond) => bytesPerSecond <= 0 || bytes <= 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks((long)Math.Ceiling(bytes * (double)TimeSpan.TicksPerSecond / bytesPerSecond));
}
