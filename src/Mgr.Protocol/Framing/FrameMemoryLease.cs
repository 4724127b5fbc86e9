namespace Mgr.Protocol.Framing;

/// <summary>Bytes reserved in a <see cref="FrameMemoryBudget"/> for one large frame; disposing returns them (once).</summary>
/// <remarks>Thread-safe; whoever handles the frame's message disposes it when done with it.</remarks>
public sealed class FrameMemoryLease : IDisposable
{
    private FrameMemoryBudget? _budget;

    internal FrameMemoryLease(FrameMemoryBudget budget, long bytes) => (_budget, Bytes) = (budget, bytes);

    /// <summary>Bytes reserved.</summary>
    public long Bytes { get; }

    public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(Bytes);
}
