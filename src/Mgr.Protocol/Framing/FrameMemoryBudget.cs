namespace Mgr.Protocol.Framing;

/// <summary>Memory shared by every <see cref="FrameReader"/> of a node for large inbound frames: before it buffers a frame
/// whose cost (raw frame plus twice the announced payload: the decompressed bytes and the decoded message's copy) reaches
/// <see cref="LargeFrameBytes"/>, a reader reserves that cost here and waits, reading nothing more of that stream (so
/// the muxer's flow control holds the peer back), until it fits. The reservation is held until the message has been
/// handled (<see cref="FrameMemoryLease"/>), so however many peers send 16 MiB frames at once, at most
/// <see cref="TotalBytes"/> of them are in memory.</summary>
/// <remarks>Thread-safe. Waiters are served first come, first served; a cost larger than the whole budget is reduced to
/// it (such a frame waits until it is alone).</remarks>
public sealed class FrameMemoryBudget
{
    private readonly object _gate = new();
    private readonly Queue<(long Bytes, TaskCompletionSource<FrameMemoryLease> Waiter)> _waiting = new();
    private long _reserved;

    /// <param name="totalBytes">Bytes all large frames together may hold.</param>
    /// <param name="largeFrameBytes">Frames costing less than this are not counted (each session holds at most a few).</param>
    public FrameMemoryBudget(long totalBytes, long largeFrameBytes = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(largeFrameBytes, 1);
        TotalBytes = totalBytes;
        LargeFrameBytes = largeFrameBytes;
    }

    /// <summary>The budget.</summary>
    public long TotalBytes { get; }

    /// <summary>Cost from which a frame must reserve.</summary>
    public long LargeFrameBytes { get; }

    /// <summary>Bytes reserved now.</summary>
    public long ReservedBytes
    {
        get
        {
            lock (_gate) return _reserved;
        }
    }

    /// <summary>The most bytes ever reserved at once (never more than <see cref="TotalBytes"/>).</summary>
    public long PeakReservedBytes { get; private set; }

    /// <summary>Reservations waiting for room.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> (at most <see cref="TotalBytes"/>), waiting for room.</summary>
    public ValueTask<FrameMemoryLease> ReserveAsync(long bytes, CancellationToken cancellation)
    {
        long cost = Math.Clamp(bytes, 0, TotalBytes);
        TaskCompletionSource<FrameMemoryLease> waiter;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _reserved + cost <= TotalBytes) return ValueTask.FromResult(Grant(cost));
            waiter = new TaskCompletionSource<FrameMemoryLease>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((cost, waiter));
        }
        return new ValueTask<FrameMemoryLease>(WaitAsync(waiter, cancellation));
    }

    internal void Release(long bytes)
    {
        var granted = new List<(TaskCompletionSource<FrameMemoryLease> Waiter, FrameMemoryLease Lease)>();
        lock (_gate)
        {
            _reserved -= bytes;
            while (_waiting.TryPeek(out var next) && _reserved + next.Bytes <= TotalBytes)
            {
                _waiting.Dequeue();
                if (next.Waiter.Task.IsCompleted) continue; // cancelled while waiting
                granted.Add((next.Waiter, Grant(next.Bytes)));
            }
        }
        foreach ((TaskCompletionSource<FrameMemoryLease> waiter, FrameMemoryLease lease) in granted)
        {
            if (!waiter.TrySetResult(lease)) lease.Dispose();
        }
    }

    // Caller holds _gate.
    private FrameMemoryLease Grant(long cost)
    {
        _reserved += cost;
        if (_reserved > PeakReservedBytes) PeakReservedBytes = _reserved;
        return new FrameMemoryLease(this, cost);
    }

    private static async Task<FrameMemoryLease> WaitAsync(TaskCompletionSource<FrameMemoryLease> waiter, CancellationToken cancellation)
    {
        await using (cancellation.Register(static state => ((TaskCompletionSource<FrameMemoryLease>)state!).TrySetCanceled(), waiter).ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }
}
