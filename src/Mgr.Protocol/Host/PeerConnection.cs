using System.Diagnostics;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Multistream;
using Mgr.Protocol.Transport.Yamux;
using Microsoft.Extensions.Logging;

namespace Mgr.Protocol.Host;

/// <summary>An established, authenticated and multiplexed connection to one peer. Inbound streams are negotiated
/// and dispatched to the host's handlers; <see cref="OpenStreamAsync(string, CancellationToken)"/> opens outbound ones.
/// Thread-safe.</summary>
/// <remarks>Closes on <see cref="DisposeAsync"/>, when the peer goes away, on a muxer protocol violation, or after
/// <see cref="HostOptions.IdleTimeout"/> without streams; <see cref="Closed"/> then yields the reason (also logged).
/// Closing cancels and awaits running handlers (up to <see cref="HostOptions.CloseTimeout"/>).</remarks>
public sealed class PeerConnection : IAsyncDisposable
{
    private readonly Libp2pHost _host;
    private readonly YamuxSession _session;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<ConnectionCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _handlersDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private readonly Task _idleWatch;
    private readonly Task _sessionWatch;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _activeStreams;
    private int _closeStarted;

    internal PeerConnection(Libp2pHost host, YamuxSession session, PublicKey remotePublicKey, Multiaddr localAddress,
                            Multiaddr remoteAddress, ConnectionDirection direction, ILogger logger)
    {
        _host = host;
        _session = session;
        _logger = logger;
        RemotePublicKey = remotePublicKey;
        RemotePeer = remotePublicKey.ToPeerId();
        LocalAddress = localAddress;
        RemoteAddress = remoteAddress;
        Direction = direction;
        _acceptLoop = AcceptLoopAsync();
        _idleWatch = WatchIdleAsync();
        _sessionWatch = WatchSessionAsync();
    }

    /// <summary>The authenticated peer.</summary>
    public PeerId RemotePeer { get; }

    /// <summary>The identity key the peer proved it holds (Identify reports it too).</summary>
    public PublicKey RemotePublicKey { get; }

    /// <summary>Our end's transport address.</summary>
    public Multiaddr LocalAddress { get; }

    /// <summary>The peer's transport address (as seen by us, without <c>/p2p</c>).</summary>
    public Multiaddr RemoteAddress { get; }

    /// <summary>Who dialled.</summary>
    public ConnectionDirection Direction { get; }

    /// <summary>Completes, never faulting, with the reason once the connection has closed.</summary>
    public Task<ConnectionCloseReason> Closed => _closed.Task;

    /// <summary>False once closing has begun.</summary>
    public bool IsOpen => Volatile.Read(ref _closeStarted) == 0;

    /// <summary>Streams open on the connection right now (both directions).</summary>
    public int OpenStreamCount => _session.OpenStreamCount;

    /// <summary>Opens a stream and agrees on <paramref name="protocol"/>.</summary>
    /// <exception cref="HostException">With <see cref="HostError.ProtocolNotSupported"/>, <see cref="HostError.StreamNegotiationFailed"/>
    /// or <see cref="HostError.ConnectionClosed"/>.</exception>
    public Task<ProtocolChannel> OpenStreamAsync(string protocol, CancellationToken cancellation) => OpenStreamAsync([protocol], cancellation);

    /// <summary>Opens a stream and agrees on the first of <paramref name="protocols"/> the peer supports.</summary>
    /// <exception cref="HostException">With <see cref="HostError.ProtocolNotSupported"/>, <see cref="HostError.StreamNegotiationFailed"/>
    /// or <see cref="HostError.ConnectionClosed"/>.</exception>
    public async Task<ProtocolChannel> OpenStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        if (!IsOpen) throw new HostException(HostError.ConnectionClosed, $"The connection to {RemotePeer} is closed.");
        YamuxStream stream;
        try
        {
            stream = await _session.OpenStreamAsync(cancellation).ConfigureAwait(false);
        }
        catch (YamuxException e)
        {
            throw new HostException(HostError.ConnectionClosed, $"Cannot open a stream to {RemotePeer}: {e.Reason}.", e);
        }
        Touch();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _closing.Token);
        timeout.CancelAfter(_host.Options.StreamNegotiationTimeout);
        try
        {
            string protocol = await MultistreamSelect.SelectAsync(stream, protocols, timeout.Token).ConfigureAwait(false);
            return new ProtocolChannel(stream, protocol, this);
        }
        catch (Exception e) when (e is MultistreamException or OperationCanceledException or IOException)
        {
            stream.Reset();
            await stream.DisposeAsync().ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
            throw e switch
            {
                MultistreamException { Reason: MultistreamError.NotSupported } =>
                    new HostException(HostError.ProtocolNotSupported, $"{RemotePeer} supports none of {string.Join(", ", protocols)}.", e),
                _ when !IsOpen => new HostException(HostError.ConnectionClosed, $"The connection to {RemotePeer} closed.", e),
                _ => new HostException(HostError.StreamNegotiationFailed, $"Negotiating a stream with {RemotePeer} failed.", e),
            };
        }
    }

    /// <summary>Closes the connection (go-away, then the socket) and waits for its handlers.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync(ConnectionCloseReason.LocalClose).ConfigureAwait(false);

    internal async Task CloseAsync(ConnectionCloseReason reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }
        await _closing.CancelAsync().ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        if (Volatile.Read(ref _activeStreams) == 0) _handlersDrained.TrySetResult();
        try
        {
            await _handlersDrained.Task.WaitAsync(_host.Options.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            HostLog.HandlersOutlivedClose(_logger, RemotePeer);
        }
        HostLog.Closed(_logger, Direction, RemotePeer, RemoteAddress, reason);
        _host.Unregister(this);
        _closed.TrySetResult(reason);
    }

    /// <summary>The connection's own loops; they end once it has closed and never fault.</summary>
    internal Task Background => Task.WhenAll(_acceptLoop, _idleWatch, _sessionWatch);

    private void Touch() => Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        CancellationToken closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            YamuxStream? stream;
            try
            {
                stream = await _session.AcceptStreamAsync(closing).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or YamuxException or ObjectDisposedException)
            {
                return;
            }
            if (stream is null) return;
            Touch();
            Interlocked.Increment(ref _activeStreams);
            // ServeAsync catches and logs everything, so it cannot fault; CloseAsync waits for it through _activeStreams.
            _ = ServeAsync(stream, closing);
        }
    }

    // Negotiates an inbound stream's protocol and runs its handler. Never throws: failures are logged.
    private async Task ServeAsync(YamuxStream stream, CancellationToken closing)
    {
        await Task.Yield();
        string protocol = "";
        try
        {
            StreamHandler? handler;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(closing))
            {
                timeout.CancelAfter(_host.Options.StreamNegotiationTimeout);
                try
                {
                    protocol = await MultistreamSelect.ListenAsync(stream, _host.Protocols, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MultistreamException or OperationCanceledException or IOException)
                {
                    HostLog.StreamNegotiationFailed(_logger, RemotePeer, e);
                    stream.Reset();
                    return;
                }
                handler = _host.FindHandler(protocol);
            }
            if (handler is null)
            {
                stream.Reset();
                return;
            }
            await handler(new ProtocolChannel(stream, protocol, this), closing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!closing.IsCancellationRequested) HostLog.HandlerFailed(_logger, protocol, RemotePeer, e);
            stream.Reset();
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            Touch();
            if (Interlocked.Decrement(ref _activeStreams) == 0 && closing.IsCancellationRequested) _handlersDrained.TrySetResult();
        }
    }

    private async Task WatchIdleAsync()
    {
        if (_host.Options.IdleTimeout is not { } idle) return;
        TimeSpan interval = TimeSpan.FromTicks(Math.Max(idle.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                bool idleNow = _session.OpenStreamCount == 0 && Volatile.Read(ref _activeStreams) == 0
                               && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity)) >= idle;
                if (!idleNow) continue;
                await CloseAsync(ConnectionCloseReason.IdleTimeout).ConfigureAwait(false);
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
    }

    // The session ended on its own (peer closed, go-away, protocol violation, transport failure).
    private async Task WatchSessionAsync()
    {
        YamuxTermination termination = await _session.Completion.ConfigureAwait(false);
        if (!IsOpen) return;
        ConnectionCloseReason reason = termination switch
        {
            { IsProtocolViolation: true } => ConnectionCloseReason.MuxerProtocolViolation,
            { RemoteGoAwayCode: not null } => ConnectionCloseReason.RemoteClose,
            { Reason: YamuxError.ConnectionClosed } => ConnectionCloseReason.RemoteClose,
            _ => ConnectionCloseReason.TransportError,
        };
        await CloseAsync(reason).ConfigureAwait(false);
    }
}
