using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>One logical stream of a <see cref="YamuxSession"/>, exposed as a duplex <see cref="Stream"/>.</summary>
/// <remarks>
/// <para>One reader and one writer may use the stream concurrently; two concurrent reads or two concurrent writes
/// are not supported. Writes wait for the peer's receive window (backpressure end to end) and return once the
/// session's write loop has copied the bytes, so the caller's buffer is free again; <see cref="FlushAsync"/> has
/// nothing left to do. Received data is buffered up to the receive window this side granted, never more.</para>
/// <para>Closing: <see cref="CloseWriteAsync"/> sends FIN (half-close) and reads continue until the peer's FIN
/// (then reads return 0). <see cref="Reset"/> sends RST and fails pending operations. Dispose sends FIN if it was
/// not sent yet and stops reading: data the peer sends afterwards is answered with RST; until the peer's FIN or RST
/// arrives the stream still counts against the session's stream limits. Failures surface as
/// <see cref="YamuxException"/> (<see cref="YamuxError.StreamReset"/>, <see cref="YamuxError.SessionClosed"/>, ...).</para>
/// </remarks>
public sealed class YamuxStream : Stream
{
    private readonly YamuxSession _session;
    private readonly Lock _lock = new();
    private readonly Pipe _receive;
    private readonly AsyncWakeSignal _writerWake = new();
    private int _writerActive;
    private int _holdsAckSlot;

    // Send side (guarded by _lock).
    private long _sendWindow = YamuxOptions.SpecInitialWindowBytes;
    private ReadOnlyMemory<byte> _pendingData;
    private bool _localWriteClosed;

    // Receive side (guarded by _lock).
    private long _receiveWindow = YamuxOptions.SpecInitialWindowBytes;
    private long _receiveWindowSize = YamuxOptions.SpecInitialWindowBytes;
    private long _consumedSinceUpdate;
    private long _windowEpochTimestamp = Stopwatch.GetTimestamp();
    private bool _remoteWriteClosed;
    private bool _receiveCompleted;
    private bool _disposed;

    // Control frame state (guarded by _lock).
    private YamuxFlags _pendingFlags;
    private long _pendingDelta;
    private bool _controlQueued;

    private YamuxException? _failure;

    internal YamuxStream(YamuxSession session, uint streamId, bool isInbound)
    {
        _session = session;
        StreamId = streamId;
        IsInbound = isInbound;
        // The window bounds what the pipe holds, so the pipe itself never pauses the read loop.
        _receive = new Pipe(new PipeOptions(
            pauseWriterThreshold: 0,
            minimumSegmentSize: 64 * 1024,
            useSynchronizationContext: false));
        int extra = session.Options.InitialStreamWindowBytes - YamuxOptions.SpecInitialWindowBytes;
        if (extra > 0)
        {
            _receiveWindow += extra;
            _receiveWindowSize += extra;
            _pendingDelta = extra;
        }
    }

    /// <summary>The Yamux stream id (odd when the session initiator opened it, even otherwise).</summary>
    public uint StreamId { get; }

    /// <summary>True when the peer opened this stream.</summary>
    public bool IsInbound { get; }

    /// <summary>The receive window currently granted to the peer (grows with auto-tuning).</summary>
    public long ReceiveWindowBytes
    {
        get { lock (_lock) return _receiveWindowSize; }
    }

    /// <summary>Marks that this outbound stream occupies a slot of the session's ACK backlog.</summary>
    internal void HoldAckSlot() => Volatile.Write(ref _holdsAckSlot, 1);

    /// <summary>Frees the ACK backlog slot once (on ACK, reset or removal); true if this call freed it.</summary>
    internal bool TryReleaseAckSlot() => Interlocked.Exchange(ref _holdsAckSlot, 0) == 1;

    internal bool HasFailed
    {
        get { lock (_lock) return _failure is not null; }
    }

    internal long ExtraWindowBytes
    {
        get { lock (_lock) return _receiveWindowSize - YamuxOptions.SpecInitialWindowBytes; }
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return 0;
        ReadResult result = await _receive.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        ReadOnlySequence<byte> data = result.Buffer;
        int count = (int)Math.Min(data.Length, buffer.Length);
        data.Slice(0, count).CopyTo(buffer.Span);
        _receive.Reader.AdvanceTo(data.GetPosition(count));
        if (count > 0) OnConsumed(count);
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _writerActive, 1) == 1) throw new InvalidOperationException("Concurrent writes on one Yamux stream are not supported.");
        try
        {
            while (!buffer.IsEmpty)
            {
                int chunk = await ReserveSendWindowAsync(buffer.Length, cancellationToken).ConfigureAwait(false);
                lock (_lock) _pendingData = buffer[..chunk];
                if (!_session.Enqueue(OutboundFrame.Data(this))) ThrowFailure();
                await WaitUntilSentAsync(cancellationToken).ConfigureAwait(false);
                buffer = buffer[chunk..];
            }
        }
        finally
        {
            Volatile.Write(ref _writerActive, 0);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Completes at once: a finished write has already been handed to the session's write loop.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    /// <summary>Half-closes the stream: sends FIN after any data already written. Reading continues.</summary>
    public ValueTask CloseWriteAsync()
    {
        if (Volatile.Read(ref _writerActive) == 1) throw new InvalidOperationException("Close the write side only after the last write completed.");
        lock (_lock)
        {
            ThrowIfFailed();
            if (_localWriteClosed) return ValueTask.CompletedTask;
            _localWriteClosed = true;
        }
        _session.Enqueue(OutboundFrame.Fin(this));
        _session.RemoveIfClosed(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Aborts the stream in both directions (RST); pending and later operations fail with
    /// <see cref="YamuxError.StreamClosed"/>.</summary>
    public void Reset()
    {
        if (!Fail(new YamuxException(YamuxError.StreamClosed, $"Stream {StreamId} was reset locally."))) return;
        _session.Enqueue(OutboundFrame.Reset(StreamId, counted: false));
        _session.Remove(this);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        bool sendFin, remove;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            sendFin = _failure is null && !_localWriteClosed;
            _localWriteClosed = true;
            remove = _failure is not null || _remoteWriteClosed;
            CompleteReceiveLocked(null);
        }
        _receive.Reader.Complete();
        if (sendFin) _session.Enqueue(OutboundFrame.Fin(this));
        if (remove) _session.Remove(this);
        _writerWake.Set();
        base.Dispose(disposing);
    }

    // ---- Called by the session -------------------------------------------------------------------------

    /// <summary>Queues SYN (outbound) or ACK (inbound) with any extra initial window.</summary>
    internal void QueueOpeningFlags()
    {
        lock (_lock) _pendingFlags |= IsInbound ? YamuxFlags.Ack : YamuxFlags.Syn;
        QueueControl(force: true);
    }

    /// <summary>Takes the pending flags and window delta for one window-update frame; false when nothing is pending.</summary>
    internal bool TryTakeControl(out YamuxFlags flags, out uint delta)
    {
        lock (_lock)
        {
            _controlQueued = false;
            flags = _pendingFlags;
            delta = (uint)_pendingDelta;
            _pendingFlags = YamuxFlags.None;
            _pendingDelta = 0;
            return _failure is null && (flags != YamuxFlags.None || delta != 0);
        }
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length bytes of the pending write and returns the count;
    /// <paramref name="more"/> says whether some remains. Once all is taken the writer is woken.</summary>
    internal int TakeData(Span<byte> destination, out bool more)
    {
        int taken;
        lock (_lock)
        {
            if (_failure is not null || _pendingData.IsEmpty)
            {
                more = false;
                return 0;
            }
            taken = Math.Min(destination.Length, _pendingData.Length);
            _pendingData.Span[..taken].CopyTo(destination);
            _pendingData = _pendingData[taken..];
            more = !_pendingData.IsEmpty;
        }
        if (!more) _writerWake.Set();
        return taken;
    }

    /// <summary>Accounts an incoming data frame against the receive window; false when it exceeds the window.</summary>
    internal bool TryReserveReceive(uint length)
    {
        lock (_lock)
        {
            if (length > _receiveWindow) return false;
            _receiveWindow -= length;
            return true;
        }
    }

    /// <summary>Appends received payload for the reader. Returns false when nobody will read it any more
    /// (the stream was disposed or failed), so the caller can reset it.</summary>
    internal bool Deliver(ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            if (_receiveCompleted) return _failure is not null;
            _receive.Writer.Write(payload);
            ValueTask<FlushResult> flush = _receive.Writer.FlushAsync();
            Debug.Assert(flush.IsCompleted, "A pipe without a pause threshold flushes synchronously.");
            return true;
        }
    }

    /// <summary>Applies a window update; false if the send window would pass 2^32 - 1.</summary>
    internal bool AddSendWindow(uint delta)
    {
        if (delta == 0) return true;
        lock (_lock)
        {
            _sendWindow += delta;
            if (_sendWindow > uint.MaxValue) return false;
        }
        _writerWake.Set();
        return true;
    }

    /// <summary>The peer half-closed: readers see end of stream once the buffered data is read.</summary>
    internal void OnRemoteFin()
    {
        lock (_lock)
        {
            _remoteWriteClosed = true;
            CompleteReceiveLocked(null);
        }
        _session.RemoveIfClosed(this);
    }

    internal bool IsClosed
    {
        get { lock (_lock) return _failure is not null || (_localWriteClosed && _remoteWriteClosed); }
    }

    /// <summary>Fails the stream with <paramref name="failure"/>; false if it had already failed.</summary>
    internal bool Fail(YamuxException failure)
    {
        lock (_lock)
        {
            if (_failure is not null) return false;
            _failure = failure;
            _pendingData = default;
            CompleteReceiveLocked(failure);
        }
        _writerWake.Set();
        return true;
    }

    // ---- Internals ---------------------------------------------------------------------------------------

    private void CompleteReceiveLocked(Exception? error)
    {
        if (_receiveCompleted) return;
        _receiveCompleted = true;
        _receive.Writer.Complete(error);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReserveSendWindowAsync(int wanted, CancellationToken cancellation)
    {
        while (true)
        {
            lock (_lock)
            {
                ThrowIfFailed();
                if (_localWriteClosed) throw new YamuxException(YamuxError.StreamClosed, $"Stream {StreamId} is closed for writing.");
                if (_sendWindow > 0)
                {
                    int chunk = (int)Math.Min(wanted, _sendWindow);
                    _sendWindow -= chunk;
                    return chunk;
                }
            }
            await _writerWake.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitUntilSentAsync(CancellationToken cancellation)
    {
        while (true)
        {
            lock (_lock)
            {
                ThrowIfFailed();
                if (_pendingData.IsEmpty) return;
            }
            try
            {
                await _writerWake.WaitAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    // Whatever the write loop has not copied yet is withdrawn and its window returned.
                    _sendWindow += _pendingData.Length;
                    _pendingData = default;
                }
                throw;
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null) ThrowFailure();
    }

    private void ThrowFailure() => throw new YamuxException(_failure?.Reason ?? YamuxError.SessionClosed, _failure?.Message ?? "The session is closed.", _failure);

    private void OnConsumed(int count)
    {
        lock (_lock)
        {
            if (_remoteWriteClosed || _failure is not null) return;
            _consumedSinceUpdate += count;
            if (_consumedSinceUpdate < _receiveWindowSize / 2) return;
            long delta = _consumedSinceUpdate;
            _consumedSinceUpdate = 0;
            long now = Stopwatch.GetTimestamp();
            long growth = _session.WindowGrowthFor(_receiveWindowSize, now - _windowEpochTimestamp);
            _windowEpochTimestamp = now;
            _receiveWindowSize += growth;
            delta += growth;
            _receiveWindow += delta;
            _pendingDelta += delta;
        }
        QueueControl(force: false);
    }

    private void QueueControl(bool force)
    {
        lock (_lock)
        {
            if (_controlQueued && !force) return;
            _controlQueued = true;
        }
        _session.Enqueue(OutboundFrame.Control(this));
    }
}
