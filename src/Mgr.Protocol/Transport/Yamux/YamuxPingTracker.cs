using System.Diagnostics;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>Outstanding session pings by opaque value, and the last measured round-trip time. Thread-safe.</summary>
internal sealed class YamuxPingTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, (TaskCompletionSource<TimeSpan> Response, long StartTimestamp)> _pending = [];
    private uint _nextOpaque;
    private long _roundTripTicks;
    private YamuxException? _closed;

    /// <summary>The last round trip in <see cref="Stopwatch"/> ticks; 0 before the first response.</summary>
    public long RoundTripTicks => Volatile.Read(ref _roundTripTicks);

    /// <summary>Registers a new ping; the caller sends a ping frame with the returned opaque value.</summary>
    /// <exception cref="YamuxException"><see cref="YamuxError.SessionClosed"/> once the tracker is closed.</exception>
    public (uint Opaque, Task<TimeSpan> Response) Start()
    {
        var response = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_closed is not null) throw new YamuxException(YamuxError.SessionClosed, _closed.Message, _closed);
            uint opaque = ++_nextOpaque;
            _pending[opaque] = (response, Stopwatch.GetTimestamp());
            return (opaque, response.Task);
        }
    }

    /// <summary>Completes the ping a response frame answers; responses nobody asked for are ignored.</summary>
    public void Complete(uint opaque)
    {
        (TaskCompletionSource<TimeSpan> Response, long StartTimestamp) pending;
        lock (_lock)
        {
            if (!_pending.Remove(opaque, out pending)) return;
        }
        long elapsed = Math.Max(1, Stopwatch.GetTimestamp() - pending.StartTimestamp);
        Volatile.Write(ref _roundTripTicks, elapsed);
        pending.Response.TrySetResult(Stopwatch.GetElapsedTime(0, elapsed));
    }

    /// <summary>Gives up on one ping (its caller was cancelled).</summary>
    public void Cancel(uint opaque, CancellationToken cancellation)
    {
        (TaskCompletionSource<TimeSpan> Response, long StartTimestamp) pending;
        lock (_lock)
        {
            if (!_pending.Remove(opaque, out pending)) return;
        }
        pending.Response.TrySetCanceled(cancellation);
    }

    /// <summary>Fails every outstanding ping with <paramref name="failure"/> and refuses new ones.</summary>
    public void Close(YamuxException failure)
    {
        (TaskCompletionSource<TimeSpan> Response, long StartTimestamp)[] pending;
        lock (_lock)
        {
            _closed ??= failure;
            pending = [.. _pending.Values];
            _pending.Clear();
        }
        foreach (var ping in pending) ping.Response.TrySetException(failure);
    }
}
