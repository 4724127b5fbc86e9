using System.Collections.Concurrent;
using System.Net.Sockets;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.Noise;
using Mgr.Protocol.Transport.Ping;
using Mgr.Protocol.Transport.Tcp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Protocol.Host;

/// <summary>A libp2p host over TCP: listens on multiaddrs, dials peers (checking the <c>/p2p</c> id), upgrades every
/// connection (multistream → <c>/noise</c> → multistream → <c>/yamux/1.0.0</c>), dispatches inbound streams to the
/// handler registered for their protocol and opens outbound streams. Thread-safe.</summary>
/// <remarks>Limits: <see cref="HostOptions.MaxConnections"/>, <see cref="HostOptions.MaxPendingHandshakes"/>, the Yamux
/// stream limits, handshake / negotiation / idle timeouts. A connection that fails (bad handshake, garbage, muxer
/// violation) is closed and logged with its reason; nothing else is affected. Backpressure is end to end: a handler
/// that reads slowly holds its stream's window, the muxer stops reading, TCP pushes back.
/// <see cref="DisposeAsync"/> stops listening and closes every connection gracefully.</remarks>
public sealed class Libp2pHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PeerConnection, byte> _connections = new();
    private readonly List<(TcpAcceptor Acceptor, Task Loop)> _listeners = [];
    private readonly Lock _listenersLock = new();
    private readonly SemaphoreSlim _pendingHandshakes;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConnectionUpgrader _upgrader;
    private readonly ILogger _logger;
    private int _upgrading;
    private bool _disposed;

    /// <summary>Creates a host for <paramref name="identity"/> serving Identify (<see cref="IdentifyService"/>) and Ping (<see cref="PingService"/>); it does nothing until <see cref="Listen"/> or <see cref="DialAsync"/>.</summary>
    public Libp2pHost(IdentityKey identity, HostOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        Options = options ?? new HostOptions();
        _logger = logger ?? NullLogger.Instance;
        _pendingHandshakes = new SemaphoreSlim(Options.MaxPendingHandshakes, Options.MaxPendingHandshakes);
        _upgrader = new ConnectionUpgrader(new NoiseSecurity(identity), Options.Yamux, _logger);
        new IdentifyService(this, Options.AgentVersion, Options.ProtocolVersion).Register();
        PingService.Register(this);
    }

    /// <summary>This node's identity key.</summary>
    public IdentityKey Identity { get; }

    /// <summary>This node's peer id.</summary>
    public PeerId PeerId => Identity.PeerId;

    /// <summary>The options the host runs with.</summary>
    public HostOptions Options { get; }

    /// <summary>The bound listen addresses (real ports), without <c>/p2p</c>.</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses
    {
        get
        {
            lock (_listenersLock) return [.. _listeners.Select(listener => listener.Acceptor.Address)];
        }
    }

    /// <summary>Protocol ids with a registered handler (a snapshot).</summary>
    public IReadOnlyCollection<string> Protocols => [.. _handlers.Keys];

    /// <summary>Open connections (a snapshot).</summary>
    public IReadOnlyCollection<PeerConnection> Connections => [.. _connections.Keys];

    /// <summary>Raised after a connection (either direction) is established, before its first inbound stream is served.
    /// Handlers run on the upgrading task: keep them short and non-blocking (start work, do not await it).</summary>
    public event EventHandler<PeerConnection>? Connected;

    /// <summary>Registers (or replaces) the handler for <paramref name="protocol"/>.</summary>
    public void SetHandler(string protocol, StreamHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[protocol] = handler;
    }

    /// <summary>Removes the handler for <paramref name="protocol"/>; streams negotiating it afterwards get "na".</summary>
    public bool RemoveHandler(string protocol) => _handlers.TryRemove(protocol, out _);

    /// <summary>Starts listening on <paramref name="address"/> (<c>/ip4|ip6/…/tcp/…</c>; port 0 picks one) and returns
    /// the bound address.</summary>
    /// <exception cref="HostException">With <see cref="HostError.UnsupportedAddress"/>, or wrapping the socket error.</exception>
    public Multiaddr Listen(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TcpAcceptor acceptor;
        try
        {
            acceptor = TcpAcceptor.Listen(address);
        }
        catch (MultiaddrException e)
        {
            throw new HostException(HostError.UnsupportedAddress, e.Message, e);
        }
        catch (SocketException e)
        {
            throw new HostException(HostError.DialFailed, $"Cannot listen on {address}: {e.Message}", e);
        }
        lock (_listenersLock) _listeners.Add((acceptor, AcceptLoopAsync(acceptor)));
        HostLog.Listening(_logger, acceptor.Address);
        return acceptor.Address;
    }

    /// <summary>Connects to <paramref name="address"/>. With a trailing <c>/p2p/&lt;id&gt;</c> the peer must authenticate as
    /// that id, and an open connection to it is reused.</summary>
    /// <exception cref="HostException">With the step that failed (<see cref="HostError.DialFailed"/>,
    /// <see cref="HostError.PeerIdMismatch"/>, <see cref="HostError.SecurityFailed"/>, <see cref="HostError.HandshakeTimeout"/>…).</exception>
    public async Task<PeerConnection> DialAsync(Multiaddr address, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(address);
        ObjectDisposedException.ThrowIf(_disposed, this);
        PeerId? expected = address.PeerId;
        if (expected is not null && FindConnection(expected) is { } existing) return existing;
        if (!TcpTransport.CanDial(address)) throw new HostException(HostError.UnsupportedAddress, $"{address} is not a TCP multiaddr.");
        if (_connections.Count >= Options.MaxConnections)
        {
            throw new HostException(HostError.ConnectionLimit, $"At the limit of {Options.MaxConnections} connections.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stopping.Token);
        timeout.CancelAfter(Options.HandshakeTimeout);
        TcpConnection tcp;
        try
        {
            tcp = await TcpTransport.DialAsync(address, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            cancellation.ThrowIfCancellationRequested();
            throw e is SocketException
                ? new HostException(HostError.DialFailed, $"Cannot connect to {address}: {e.Message}", e)
                : new HostException(_stopping.IsCancellationRequested ? HostError.HostStopped : HostError.HandshakeTimeout, $"Connecting to {address} timed out.", e);
        }
        try
        {
            var (session, secured) = await _upgrader.UpgradeOutboundAsync(tcp, expected, timeout.Token).ConfigureAwait(false);
            return Register(new PeerConnection(this, session, secured.RemotePublicKey, tcp.LocalAddress, tcp.RemoteAddress,
                                               ConnectionDirection.Outbound, _logger));
        }
        catch (HostException) when (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellation);
        }
    }

    /// <summary>An open connection to <paramref name="peer"/>, or null.</summary>
    public PeerConnection? FindConnection(PeerId peer) =>
        _connections.Keys.FirstOrDefault(connection => connection.IsOpen && connection.RemotePeer == peer);

    /// <summary>Opens a stream for <paramref name="protocol"/> on an open connection to <paramref name="peer"/>.</summary>
    /// <exception cref="HostException">With <see cref="HostError.NotConnected"/> when there is none, or as
    /// <see cref="PeerConnection.OpenStreamAsync(IReadOnlyList{string}, CancellationToken)"/>.</exception>
    public Task<ProtocolChannel> OpenStreamAsync(PeerId peer, string protocol, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(peer);
        PeerConnection connection = FindConnection(peer) ?? throw new HostException(HostError.NotConnected, $"Not connected to {peer}.");
        return connection.OpenStreamAsync(protocol, cancellation);
    }

    /// <summary>Dials <paramref name="address"/> (or reuses a connection) and opens a stream for <paramref name="protocol"/>.</summary>
    public async Task<ProtocolChannel> OpenStreamAsync(Multiaddr address, string protocol, CancellationToken cancellation)
    {
        PeerConnection connection = await DialAsync(address, cancellation).ConfigureAwait(false);
        return await connection.OpenStreamAsync(protocol, cancellation).ConfigureAwait(false);
    }

    /// <summary>Stops listening, closes every connection (go-away, handlers cancelled) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        (TcpAcceptor Acceptor, Task Loop)[] listeners;
        lock (_listenersLock) listeners = [.. _listeners];
        foreach (var (acceptor, _) in listeners) acceptor.Dispose();
        await Task.WhenAll(listeners.Select(listener => listener.Loop)).ConfigureAwait(false);
        while (Volatile.Read(ref _upgrading) > 0) await Task.Delay(10).ConfigureAwait(false);
        PeerConnection[] open = [.. _connections.Keys];
        await Task.WhenAll(open.Select(connection => connection.CloseAsync(ConnectionCloseReason.HostStopped))).ConfigureAwait(false);
        await Task.WhenAll(open.Select(connection => connection.Background)).ConfigureAwait(false);
        _stopping.Dispose();
        _pendingHandshakes.Dispose();
    }

    internal StreamHandler? FindHandler(string protocol) => _handlers.GetValueOrDefault(protocol);

    internal void Unregister(PeerConnection connection) => _connections.TryRemove(connection, out _);

    private PeerConnection Register(PeerConnection connection)
    {
        _connections.TryAdd(connection, 0);
        if (!connection.IsOpen) _connections.TryRemove(connection, out _); // it closed before we could register it
        HostLog.Connected(_logger, connection.Direction, connection.RemotePeer, connection.RemoteAddress);
        try
        {
            Connected?.Invoke(this, connection);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.ConnectedHandlerFailed(_logger, connection.RemotePeer, e);
        }
        return connection;
    }

    private async Task AcceptLoopAsync(TcpAcceptor acceptor)
    {
        await Task.Yield();
        while (!_stopping.IsCancellationRequested)
        {
            TcpConnection tcp;
            try
            {
                tcp = await acceptor.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                HostLog.AcceptFailed(_logger, acceptor.Address, e);
                continue;
            }
            if (_connections.Count >= Options.MaxConnections || !_pendingHandshakes.Wait(0))
            {
                HostLog.InboundRefused(_logger, tcp.RemoteAddress, HostError.ConnectionLimit);
                await tcp.Stream.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            Interlocked.Increment(ref _upgrading);
            // UpgradeInboundAsync catches and logs every failure, so it cannot fault; DisposeAsync waits on _upgrading.
            _ = UpgradeInboundAsync(tcp);
        }
    }

    private async Task UpgradeInboundAsync(TcpConnection tcp)
    {
        await Task.Yield();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(Options.HandshakeTimeout);
            var (session, secured) = await _upgrader.UpgradeInboundAsync(tcp, timeout.Token).ConfigureAwait(false);
            var connection = new PeerConnection(this, session, secured.RemotePublicKey, tcp.LocalAddress, tcp.RemoteAddress,
                                                ConnectionDirection.Inbound, _logger);
            if (_stopping.IsCancellationRequested) await connection.CloseAsync(ConnectionCloseReason.HostStopped).ConfigureAwait(false);
            else Register(connection);
        }
        catch (HostException e)
        {
            HostLog.InboundUpgradeFailed(_logger, tcp.RemoteAddress, e.Reason, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HostLog.InboundUpgradeFailed(_logger, tcp.RemoteAddress, HostError.ConnectionClosed, e);
            await tcp.Stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _pendingHandshakes.Release();
            Interlocked.Decrement(ref _upgrading);
        }
    }
}
