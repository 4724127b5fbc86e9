using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>A <c>/yamux/1.0.0</c> session: many <see cref="YamuxStream"/>s multiplexed over one duplex connection.</summary>
/// <remarks>
/// <para>Concurrency: a read loop owns the connection's read side and dispatches frames; a write loop
/// (<see cref="YamuxFrameWriter"/>) owns its write side, gathering queued frames (stream data, window updates,
/// pings, resets, go-away) into one pooled buffer per write. Public members are thread-safe. Nothing is buffered without a bound: received data is
/// bounded by the windows granted, queued control frames by <see cref="YamuxOptions.MaxPendingControlFrames"/>,
/// and writers wait for the peer's window.</para>
/// <para>A protocol violation by the peer (bad version, unknown type, window exceeded, unknown stream, duplicate
/// SYN, floods) ends the session with go-away(protocol error) and a logged reason; <see cref="Completion"/> then
/// holds the typed <see cref="YamuxTermination"/>. No failure escapes as an unobserved exception.</para>
/// <para>The session owns <c>connection</c> and disposes it when it ends.</para>
/// </remarks>
public sealed class YamuxSession : IAsyncDisposable
{
    private readonly Stream _connection;
    private readonly bool _isInitiator;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly YamuxPingTracker _pings = new();
    private readonly Channel<OutboundFrame> _outbound;
    private readonly Channel<YamuxStream> _acceptQueue;
    private readonly SemaphoreSlim _ackBacklog;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<YamuxTermination> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private readonly Task _rttProbe;
    private readonly Task _keepAlive;

    private long _nextLocalId;
    private uint _lastRemoteId;
    private int _inboundCount;
    private int _outboundCount;
    private int _consecutiveRefusals;
    private int _pendingControlFrames;
    private long _extraWindowBytes;
    private bool _localGoAway;
    private YamuxGoAwayCode? _remoteGoAway;
    private YamuxTermination? _termination;
    private Task? _shutdown;
    private string? _writeFailure;

    /// <summary>Starts a session over <paramref name="connection"/> (already secured, e.g. by Noise).</summary>
    /// <param name="connection">Duplex byte stream; owned by the session from now on.</param>
    /// <param name="isInitiator">True on the dialling side (odd stream ids), false on the listening side (even).</param>
    /// <param name="options">Limits and tuning; defaults when null.</param>
    /// <param name="logger">Receives the reason a session ends; silent when null.</param>
    public YamuxSession(Stream connection, bool isInitiator, YamuxOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Options = options ?? new YamuxOptions();
        Options.Validate();
        _connection = connection;
        _isInitiator = isInitiator;
        _logger = logger ?? NullLogger.Instance;
        _nextLocalId = isInitiator ? 1 : 2;
        _outbound = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
        _acceptQueue = Channel.CreateBounded<YamuxStream>(new BoundedChannelOptions(Options.AcceptBacklog) { SingleWriter = true });
        _ackBacklog = new SemaphoreSlim(Options.MaxAckBacklog, Options.MaxAckBacklog);
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
        _rttProbe = Options.WindowAutoTuning ? ProbeRoundTripAsync() : Task.CompletedTask;
        _keepAlive = Options.KeepAliveInterval is { } interval ? KeepAliveAsync(interval) : Task.CompletedTask;
        _started.SetResult();
    }

    /// <summary>The options this session runs with.</summary>
    public YamuxOptions Options { get; }

    /// <summary>True on the dialling side.</summary>
    public bool IsInitiator => _isInitiator;

    /// <summary>Completes (never faults) once both loops have stopped and the connection is disposed.</summary>
    public Task<YamuxTermination> Completion => _completion.Task;

    /// <summary>The last measured round-trip time, or null before the first ping response.</summary>
    public TimeSpan? RoundTripTime
    {
        get
        {
            long ticks = _pings.RoundTripTicks;
            return ticks == 0 ? null : Stopwatch.GetElapsedTime(0, ticks);
        }
    }

    /// <summary>Streams currently open (both directions, including ones not yet accepted).</summary>
    public int OpenStreamCount
    {
        get { lock (_lock) return _streams.Count; }
    }

    /// <summary>Opens a new outbound stream. Data may be written at once; the peer's ACK is not awaited, but at most
    /// <see cref="YamuxOptions.MaxAckBacklog"/> unacknowledged streams exist (further opens wait).</summary>
    /// <exception cref="YamuxException"><see cref="YamuxError.SessionClosed"/> when closing or after a go-away;
    /// <see cref="YamuxError.TooManyStreams"/> at the stream limit.</exception>
    public async ValueTask<YamuxStream> OpenStreamAsync(CancellationToken cancellation = default)
    {
        ThrowIfCannotOpen();
        await _ackBacklog.WaitAsync(cancellation).ConfigureAwait(false);
        YamuxStream stream;
        lock (_lock)
        {
            try
            {
                ThrowIfCannotOpen();
                if (_outboundCount >= Options.MaxOutboundStreams || _nextLocalId > uint.MaxValue)
                {
                    throw new YamuxException(YamuxError.TooManyStreams, $"At most {Options.MaxOutboundStreams} outbound streams may be open.");
                }
            }
            catch (YamuxException)
            {
                _ackBacklog.Release();
                throw;
            }
            uint id = (uint)_nextLocalId;
            _nextLocalId += 2;
            stream = new YamuxStream(this, id, isInbound: false);
            stream.HoldAckSlot();
            _streams.Add(id, stream);
            _outboundCount++;
            _extraWindowBytes += stream.ExtraWindowBytes;
        }
        stream.QueueOpeningFlags();
        return stream;
    }

    /// <summary>Waits for the next stream the peer opens and acknowledges it; null once the session is closing.</summary>
    public async ValueTask<YamuxStream?> AcceptStreamAsync(CancellationToken cancellation = default)
    {
        ChannelReader<YamuxStream> queue = _acceptQueue.Reader;
        while (true)
        {
            if (Volatile.Read(ref _termination) is not null) return null;
            while (queue.TryRead(out YamuxStream? stream))
            {
                if (stream.HasFailed) continue;
                stream.QueueOpeningFlags();
                return stream;
            }
            if (!await queue.WaitToReadAsync(cancellation).ConfigureAwait(false)) return null;
        }
    }

    /// <summary>Sends a ping and returns the round-trip time when its response arrives.</summary>
    /// <exception cref="YamuxException"><see cref="YamuxError.SessionClosed"/> if the session ends first.</exception>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellation = default)
    {
        (uint opaque, Task<TimeSpan> response) = _pings.Start();
        Enqueue(OutboundFrame.PingRequest(opaque));
        using (cancellation.Register(() => _pings.Cancel(opaque, cancellation)))
        {
            return await response.ConfigureAwait(false);
        }
    }

    /// <summary>Sends go-away with <paramref name="code"/>: no new streams are opened or accepted from now on,
    /// open streams continue. Completes once the frame is queued.</summary>
    public ValueTask GoAwayAsync(YamuxGoAwayCode code = YamuxGoAwayCode.Normal, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_localGoAway) return ValueTask.CompletedTask;
            _localGoAway = true;
        }
        Enqueue(OutboundFrame.GoAway(code));
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the session: go-away(normal) if none was sent, open streams fail with
    /// <see cref="YamuxError.SessionClosed"/>, queued frames are flushed (bounded by <see cref="YamuxOptions.CloseTimeout"/>)
    /// and the connection is disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        bool sendGoAway;
        lock (_lock) sendGoAway = !_localGoAway;
        Terminate(new YamuxTermination(YamuxError.LocalClose, "The session was closed locally.", _remoteGoAway), sendGoAway ? YamuxGoAwayCode.Normal : null);
        await _completion.Task.ConfigureAwait(false);
        if (_shutdown is not null) await _shutdown.ConfigureAwait(false);
        _abort.Dispose();
        // _ackBacklog stays undisposed: late OpenStreamAsync calls must fail with SessionClosed, not ObjectDisposedException,
        // and a SemaphoreSlim whose wait handle was never requested holds nothing to release.
    }

    // ---- Used by streams ----------------------------------------------------------------------------------

    internal bool Enqueue(OutboundFrame frame) => _outbound.Writer.TryWrite(frame);

    internal void Remove(YamuxStream stream)
    {
        lock (_lock)
        {
            if (_streams.Remove(stream.StreamId, out YamuxStream? removed) && ReferenceEquals(removed, stream))
            {
                if (stream.IsInbound) _inboundCount--;
                else _outboundCount--;
                _extraWindowBytes -= stream.ExtraWindowBytes;
            }
        }
        if (stream.TryReleaseAckSlot()) _ackBacklog.Release();
    }

    internal void RemoveIfClosed(YamuxStream stream)
    {
        if (stream.IsClosed) Remove(stream);
    }

    /// <summary>How much a stream's window grows at this update: it doubles when the reader drained half a window
    /// within four round trips (the window, not the reader, limits throughput), within the stream and session ceilings.</summary>
    internal long WindowGrowthFor(long windowSize, long ticksSinceLastUpdate)
    {
        long rtt = _pings.RoundTripTicks;
        if (!Options.WindowAutoTuning || rtt == 0 || ticksSinceLastUpdate >= 4 * rtt) return 0;
        long growth = Math.Min(windowSize, Options.MaxStreamWindowBytes - windowSize);
        if (growth <= 0) return 0;
        lock (_lock)
        {
            if (_extraWindowBytes + growth > Options.MaxSessionWindowBytes) return 0;
            _extraWindowBytes += growth;
        }
        return growth;
    }

    // ---- Read loop ------------------------------------------------------------------------------------------

    private async Task ReadLoopAsync()
    {
        await _started.Task.ConfigureAwait(false);
        using var reader = new YamuxFrameReader(_connection, Options.ReadBufferBytes);
        CancellationToken abort = _abort.Token;
        try
        {
            while (Volatile.Read(ref _termination) is null)
            {
                if (!await reader.FillAsync(YamuxFrameHeader.Size, abort).ConfigureAwait(false))
                {
                    YamuxGoAwayCode? goAway = _remoteGoAway;
                    Terminate(goAway is null
                        ? new YamuxTermination(YamuxError.ConnectionClosed, "The connection ended.")
                        : new YamuxTermination(YamuxError.RemoteGoAway, $"The peer went away ({goAway}).", goAway), null);
                    return;
                }
                YamuxFrameHeader header = YamuxFrameHeader.Read(reader.Buffered);
                reader.Consume(YamuxFrameHeader.Size);
                switch (header.Type)
                {
                    case YamuxFrameType.Data:
                        await ReceiveDataAsync(header, reader, abort).ConfigureAwait(false);
                        break;
                    case YamuxFrameType.WindowUpdate:
                        ReceiveWindowUpdate(header);
                        break;
                    case YamuxFrameType.Ping:
                        ReceivePing(header);
                        break;
                    default:
                        ReceiveGoAway(header);
                        break;
                }
            }
        }
        catch (YamuxException e)
        {
            var termination = new YamuxTermination(e.Reason, e.Message, _remoteGoAway);
            Terminate(termination, termination.IsProtocolViolation ? YamuxGoAwayCode.ProtocolError : null);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Terminate(Volatile.Read(ref _writeFailure) is { } writeFailure
                ? new YamuxTermination(YamuxError.ConnectionFailed, writeFailure, _remoteGoAway)
                : new YamuxTermination(YamuxError.LocalClose, "The session was aborted."), null);
        }
#pragma warning disable CA1031 // Whatever the connection throws (I/O, decryption, disposal) ends this session only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Terminate(new YamuxTermination(YamuxError.ConnectionFailed, $"Reading the connection failed: {e.GetType().Name}: {e.Message}", _remoteGoAway), null);
        }
    }

    private async ValueTask ReceiveDataAsync(YamuxFrameHeader header, YamuxFrameReader reader, CancellationToken abort)
    {
        if (header.Length > Options.MaxStreamWindowBytes)
        {
            throw new YamuxException(YamuxError.FrameTooLarge, $"Data frame of {header.Length} bytes on stream {header.StreamId} exceeds any window granted.");
        }
        YamuxStream? stream = ResolveStream(header);
        if (stream is not null && !stream.TryReserveReceive(header.Length))
        {
            throw new YamuxException(YamuxError.WindowExceeded, $"Stream {header.StreamId} received {header.Length} bytes beyond its receive window.");
        }
        bool deliver = stream is not null;
        bool refused = false;
        uint remaining = header.Length;
        while (remaining > 0)
        {
            if (reader.BufferedCount == 0 && !await reader.ReadMoreAsync(abort).ConfigureAwait(false))
            {
                throw new YamuxException(YamuxError.ConnectionClosed, "The connection ended inside a data frame.");
            }
            int take = (int)Math.Min(remaining, (uint)reader.BufferedCount);
            if (deliver && !stream!.Deliver(reader.Buffered[..take]))
            {
                deliver = false;
                refused = true;
            }
            reader.Consume(take);
            remaining -= (uint)take;
        }
        if (refused)
        {
            // Nobody reads this stream any more (disposed locally, or data after the peer's FIN): reset it.
            stream!.Fail(new YamuxException(YamuxError.StreamClosed, $"Stream {header.StreamId} no longer reads."));
            Enqueue(OutboundFrame.Reset(header.StreamId, counted: false));
            Remove(stream);
            return;
        }
        ApplyCloseFlags(header, stream);
    }

    private void ReceiveWindowUpdate(YamuxFrameHeader header)
    {
        YamuxStream? stream = ResolveStream(header);
        if (stream is not null && !stream.AddSendWindow(header.Length))
        {
            throw new YamuxException(YamuxError.WindowOverflow, $"Window updates on stream {header.StreamId} exceed 2^32 - 1 bytes.");
        }
        ApplyCloseFlags(header, stream);
    }

    private void ReceivePing(YamuxFrameHeader header)
    {
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            EnqueueCounted(OutboundFrame.PingResponse(header.Length), YamuxError.PingFlood);
            return;
        }
        if ((header.Flags & YamuxFlags.Ack) != 0) _pings.Complete(header.Length);
    }

    private void ReceiveGoAway(YamuxFrameHeader header)
    {
        var code = (YamuxGoAwayCode)header.Length;
        _remoteGoAway = code;
        YamuxLog.RemoteGoAway(_logger, Role, header.Length);
    }

    /// <summary>Finds the stream a frame addresses, opening it for a SYN. Null for frames on streams that were
    /// closed earlier (ignored) and for refused SYNs; throws for frames that break the id rules.</summary>
    private YamuxStream? ResolveStream(YamuxFrameHeader header)
    {
        uint id = header.StreamId;
        if (id == 0) throw new YamuxException(YamuxError.InvalidStreamId, $"{header.Type} frame on stream 0.");
        bool remoteId = (id & 1) == (_isInitiator ? 0u : 1u);
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            if (!remoteId) throw new YamuxException(YamuxError.InvalidStreamId, $"SYN for stream {id}, which has this side's parity.");
            if (id <= _lastRemoteId) throw new YamuxException(YamuxError.DuplicateStream, $"SYN for stream {id}, not above the last opened id {_lastRemoteId}.");
            _lastRemoteId = id;
            return AdmitInbound(id);
        }
        YamuxStream? stream;
        lock (_lock) _streams.TryGetValue(id, out stream);
        if (stream is not null)
        {
            if ((header.Flags & YamuxFlags.Ack) != 0 && !stream.IsInbound && stream.TryReleaseAckSlot()) _ackBacklog.Release();
            return stream;
        }
        bool neverOpened = remoteId ? id > _lastRemoteId : id >= _nextLocalId;
        if (neverOpened) throw new YamuxException(YamuxError.DataOnUnknownStream, $"{header.Type} frame for stream {id}, which was never opened.");
        return null;
    }

    private YamuxStream? AdmitInbound(uint id)
    {
        lock (_lock)
        {
            if (_termination is not null) return null;
            if (!_localGoAway && _inboundCount < Options.MaxInboundStreams)
            {
                var stream = new YamuxStream(this, id, isInbound: true);
                if (_acceptQueue.Writer.TryWrite(stream))
                {
                    _streams.Add(id, stream);
                    _inboundCount++;
                    _extraWindowBytes += stream.ExtraWindowBytes;
                    _consecutiveRefusals = 0;
                    return stream;
                }
            }
            _consecutiveRefusals++;
        }
        if (_consecutiveRefusals > Options.MaxRefusedStreams)
        {
            throw new YamuxException(YamuxError.StreamFlood, $"The peer opened {_consecutiveRefusals} streams in a row beyond the limits.");
        }
        EnqueueCounted(OutboundFrame.Reset(id, counted: true), YamuxError.StreamFlood);
        return null;
    }

    private void ApplyCloseFlags(YamuxFrameHeader header, YamuxStream? stream)
    {
        if (stream is null) return;
        if ((header.Flags & YamuxFlags.Rst) != 0)
        {
            bool refused = !stream.IsInbound && stream.TryReleaseAckSlot();
            if (refused) _ackBacklog.Release();
            stream.Fail(refused
                ? new YamuxException(YamuxError.StreamRefused, $"The peer refused stream {header.StreamId}.")
                : new YamuxException(YamuxError.StreamReset, $"The peer reset stream {header.StreamId}."));
            Remove(stream);
        }
        else if ((header.Flags & YamuxFlags.Fin) != 0)
        {
            stream.OnRemoteFin();
        }
    }

    private void EnqueueCounted(OutboundFrame frame, YamuxError floodReason)
    {
        if (Interlocked.Increment(ref _pendingControlFrames) > Options.MaxPendingControlFrames)
        {
            throw new YamuxException(floodReason, $"More than {Options.MaxPendingControlFrames} responses are waiting to be written: the peer sends without reading.");
        }
        Enqueue(frame);
    }

    // ---- Write loop -----------------------------------------------------------------------------------------

    private async Task WriteLoopAsync()
    {
        await _started.Task.ConfigureAwait(false);
        CancellationToken abort = _abort.Token;
        var writer = new YamuxFrameWriter(_connection, _outbound.Reader, Options.WriteBufferBytes, Enqueue,
                                          () => Interlocked.Decrement(ref _pendingControlFrames));
        try
        {
            await writer.RunAsync(abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Terminate(new YamuxTermination(YamuxError.LocalClose, "The session was aborted."), null);
        }
#pragma warning disable CA1031 // Whatever the connection throws (I/O, encryption, disposal) ends this session only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A peer that sent go-away and closed makes our writes fail before our reads see its frames: let the
            // read loop drain what arrived (bounded by CloseTimeout), so the session ends for the peer's reason.
            string detail = $"Writing the connection failed: {e.GetType().Name}: {e.Message}";
            Volatile.Write(ref _writeFailure, detail);
            _abort.CancelAfter(Options.CloseTimeout);
            await _readLoop.ConfigureAwait(false);
            Terminate(new YamuxTermination(YamuxError.ConnectionFailed, detail, _remoteGoAway), null);
        }
    }

    // ---- Lifetime -------------------------------------------------------------------------------------------

    private string Role => _isInitiator ? "initiator" : "responder";

    private void ThrowIfCannotOpen()
    {
        if (Volatile.Read(ref _termination) is { } ended) throw new YamuxException(YamuxError.SessionClosed, $"The session ended: {ended.Detail}");
        if (_localGoAway) throw new YamuxException(YamuxError.SessionClosed, "This side sent go-away; no new streams.");
        if (_remoteGoAway is { } code) throw new YamuxException(YamuxError.SessionClosed, $"The peer sent go-away ({code}); no new streams.");
    }

    /// <summary>Ends the session once (the first cause wins): fails every stream and ping, queues the go-away,
    /// and starts the shutdown that flushes, disposes the connection and completes <see cref="Completion"/>.</summary>
    private void Terminate(YamuxTermination termination, YamuxGoAwayCode? goAway)
    {
        YamuxStream[] streams;
        lock (_lock)
        {
            if (_termination is not null) return;
            Volatile.Write(ref _termination, termination);
            streams = [.. _streams.Values];
            _streams.Clear();
            _inboundCount = _outboundCount = 0;
        }
        if (termination.IsProtocolViolation) YamuxLog.ProtocolViolation(_logger, Role, termination.Reason, termination.Detail);
        else YamuxLog.SessionEnded(_logger, Role, termination.Reason, termination.Detail);

        var failure = new YamuxException(YamuxError.SessionClosed, $"The session ended: {termination.Detail}");
        foreach (YamuxStream stream in streams)
        {
            stream.Fail(failure);
            if (stream.TryReleaseAckSlot()) _ackBacklog.Release();
        }
        _pings.Close(failure);
        if (goAway is { } code) _outbound.Writer.TryWrite(OutboundFrame.GoAway(code));
        _outbound.Writer.TryComplete();
        _acceptQueue.Writer.TryComplete();
        _shutdown = ShutdownAsync();
    }

    private async Task ShutdownAsync()
    {
        try
        {
            _abort.CancelAfter(Options.CloseTimeout);
            await _started.Task.ConfigureAwait(false);
            await _writeLoop.ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
            await _abort.CancelAsync().ConfigureAwait(false);
            await _readLoop.ConfigureAwait(false);
            await _rttProbe.ConfigureAwait(false);
            await _keepAlive.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Disposal failures of the connection must not keep Completion from completing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            YamuxLog.ShutdownFailed(_logger, Role, e);
        }
        finally
        {
            _completion.TrySetResult(_termination!);
        }
    }

    private async Task ProbeRoundTripAsync()
    {
        await _started.Task.ConfigureAwait(false);
        try
        {
            await PingAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is YamuxException or OperationCanceledException)
        {
            // No RTT: windows simply do not auto-tune on this session.
        }
    }

    private async Task KeepAliveAsync(TimeSpan interval)
    {
        await _started.Task.ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_abort.Token).ConfigureAwait(false) && Volatile.Read(ref _termination) is null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
                timeout.CancelAfter(interval);
                try
                {
                    await PingAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_abort.IsCancellationRequested)
                {
                    Terminate(new YamuxTermination(YamuxError.KeepAliveTimeout, $"No ping response within {interval.TotalSeconds:0.#} s."), YamuxGoAwayCode.Normal);
                    return;
                }
            }
        }
        catch (Exception e) when (e is YamuxException or OperationCanceledException)
        {
            // The session is ending; its termination already carries the reason.
        }
    }
}
