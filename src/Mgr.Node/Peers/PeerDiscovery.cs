using System.Collections.Concurrent;
using System.Net;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.PeerExchange;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Peers;

/// <summary>Keeps a node at its target number of MGR sessions beyond its bootnodes (spec/mgr-protocol.md §1.1): learns each
/// connected peer's dialable listen address from Identify, answers <c>/mgr/peers/1.0.0</c> with the addresses of the
/// other peers it is connected to, and while it has fewer than <see cref="TargetPeers"/> sessions asks a connected peer
/// for its list and dials peers it is not connected to. So a leecher given only a seeder as bootnode meets the other
/// leechers of the swarm.</summary>
/// <remarks>Bounded: at most <see cref="MaxKnownPeers"/> learned addresses, dials only while under the target, an
/// address dialled at most once per <see cref="RetryAfter"/>, of two peers the one with the lower id first, only <c>/ip4|ip6/…/tcp/…/p2p/…</c> addresses that are not
/// unspecified (0.0.0.0, ::). A peer list that does not decode is dropped.</remarks>
public sealed partial class PeerDiscovery : IAsyncDisposable
{
    /// <summary>Learned addresses kept, at most.</summary>
    public const int MaxKnownPeers = 256;

    /// <summary>How often the node looks at its peer count.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>The least time between two dials of the same peer.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long the peer with the higher id waits for the lower to dial before dialling itself.</summary>
    public static readonly TimeSpan DeferredDial = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(5);

    private readonly Libp2pHost _host;
    private readonly Func<Multiaddr, CancellationToken, Task> _runSession;
    private readonly Func<int> _sessionCount;
    private readonly Func<PeerId, bool> _hasSession;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<PeerId, Multiaddr> _known = new();
    private readonly ConcurrentDictionary<PeerId, DateTime> _dialedAt = new();
    private readonly ConcurrentDictionary<PeerId, DateTime> _offeredAt = new();
    private readonly ConcurrentDictionary<PeerId, Task> _dialing = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private int _askNext;

    /// <param name="host">The node's host; the peer-exchange handler is registered on it.</param>
    /// <param name="runSession">Dials an address and runs an MGR session until it ends.</param>
    /// <param name="sessionCount">The node's current number of MGR sessions.</param>
    /// <param name="hasSession">Whether an MGR session with a peer runs.</param>
    /// <param name="targetPeers">Sessions to keep; 0 only answers others' requests.</param>
    /// <param name="logger">Optional.</param>
    public PeerDiscovery(Libp2pHost host, Func<Multiaddr, CancellationToken, Task> runSession, Func<int> sessionCount, Func<PeerId, bool> hasSession,
                         int targetPeers, ILogger? logger = null)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _runSession = runSession ?? throw new ArgumentNullException(nameof(runSession));
        _sessionCount = sessionCount ?? throw new ArgumentNullException(nameof(sessionCount));
        _hasSession = hasSession ?? throw new ArgumentNullException(nameof(hasSession));
        ArgumentOutOfRangeException.ThrowIfNegative(targetPeers);
        TargetPeers = targetPeers;
        _logger = logger;
        _host.SetHandler(PeerList.ProtocolId, ServeAsync);
        _run = RunAsync(_stop.Token);
    }

    /// <summary>MGR sessions the node tries to keep.</summary>
    public int TargetPeers { get; }

    /// <summary>Peers whose dialable address this node learned (for tests and status).</summary>
    public int KnownPeers => _known.Count;

    private async Task ServeAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        List<Multiaddr> others = [.. _known.Where(entry => entry.Key != channel.RemotePeer && _hasSession(entry.Key))
                                          .Select(static entry => entry.Value).Take(PeerList.MaxAddresses)];
        await PeerList.SendAsync(channel.Stream, others, cancellation).ConfigureAwait(false);
        await channel.CloseWriteAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
            {
                await LearnAddressesAsync(cancellation).ConfigureAwait(false);
                if (TargetPeers > 0 && _sessionCount() + _dialing.Count < TargetPeers) await DiscoverAsync(cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    // Identifies every connected peer whose address is not known yet.
    private async Task LearnAddressesAsync(CancellationToken cancellation)
    {
        foreach (PeerConnection connection in _host.Connections)
        {
            if (!connection.IsOpen || _known.ContainsKey(connection.RemotePeer) || _known.Count >= MaxKnownPeers) continue;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(ExchangeTimeout);
                IdentifyMessage identify = await IdentifyService.RequestAsync(connection, timeout.Token).ConfigureAwait(false);
                if (DialableAddress(identify.ListenAddrs, connection.RemotePeer) is { } address) _known[connection.RemotePeer] = address;
            }
            catch (Exception error) when (error is IOException or HostException || (error is OperationCanceledException && !cancellation.IsCancellationRequested))
            {
                // Closed meanwhile, or the peer does not identify: it is not shared.
            }
        }
    }

    // Asks one connected peer (in turn) for its peers and dials those this node is not connected to.
    private async Task DiscoverAsync(CancellationToken cancellation)
    {
        PeerConnection[] connections = [.. _host.Connections.Where(static c => c.IsOpen)];
        if (connections.Length == 0) return;
        PeerConnection asked = connections[(int)((uint)_askNext++ % (uint)connections.Length)];
        IReadOnlyList<Multiaddr> offered;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(ExchangeTimeout);
            ProtocolChannel channel = await asked.OpenStreamAsync(PeerList.ProtocolId, timeout.Token).ConfigureAwait(false);
            await using (channel.ConfigureAwait(false))
            {
                await channel.CloseWriteAsync().ConfigureAwait(false);
                offered = await PeerList.ReceiveAsync(channel.Stream, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is IOException or HostException || (error is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            if (error is PeerExchangeException && _logger is { } logger) Log.BadPeerList(logger, asked.RemotePeer, error.Message);
            return;
        }
        DateTime now = DateTime.UtcNow;
        foreach (Multiaddr address in offered)
        {
            if (_sessionCount() + _dialing.Count >= TargetPeers) return;
            if (address.PeerId is not { } peer || peer == _host.PeerId || _hasSession(peer) || _dialing.ContainsKey(peer)) continue;
            if (!IsDialable(address) || (_dialedAt.TryGetValue(peer, out DateTime last) && now - last < RetryAfter)) continue;
            if (_dialedAt.Count >= MaxKnownPeers || _offeredAt.Count >= MaxKnownPeers) Prune(now - RetryAfter);
            // Two peers that learn of each other at once would dial at once, and the transport keeps neither of two
            // simultaneous sessions: the lower peer id dials at once, the higher only if no session came after a while.
            DateTime firstOffered = _offeredAt.GetOrAdd(peer, now);
            if (!DialsFirst(peer) && now - firstOffered < DeferredDial) continue;
            _dialedAt[peer] = now;
            _dialing[peer] = DialAsync(peer, address, cancellation);
        }
    }

    private async Task DialAsync(PeerId peer, Multiaddr address, CancellationToken cancellation)
    {
        await Task.Yield();
        try
        {
            if (_logger is { } logger) Log.Dialing(logger, address);
            await _runSession(address, cancellation).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or HostException or ObjectDisposedException or OperationCanceledException)
        {
            // Unreachable or gone: tried again after RetryAfter if someone offers it then.
        }
        finally
        {
            _dialing.TryRemove(peer, out _);
        }
    }

    private void Prune(DateTime cutoff)
    {
        foreach ((PeerId peer, DateTime at) in _dialedAt)
            if (at < cutoff) _dialedAt.TryRemove(peer, out _);
        foreach ((PeerId peer, DateTime at) in _offeredAt)
            if (at < cutoff) _offeredAt.TryRemove(peer, out _);
    }

    private bool DialsFirst(PeerId peer) => _host.PeerId.Multihash.SequenceCompareTo(peer.Multihash) < 0;

    // The first listen address a peer could be dialled at, with its /p2p/ id.
    private static Multiaddr? DialableAddress(IReadOnlyList<ReadOnlyMemory<byte>> listenAddrs, PeerId peer)
    {
        foreach (ReadOnlyMemory<byte> bytes in listenAddrs)
        {
            Multiaddr address;
            try
            {
                address = Multiaddr.Decode(bytes.Span);
            }
            catch (MultiaddrException)
            {
                continue;
            }
            Multiaddr withId = address.PeerId is null ? address.WithPeerId(peer) : address;
            if (withId.PeerId == peer && IsDialable(withId)) return withId;
        }
        return null;
    }

    private static bool IsDialable(Multiaddr address)
    {
        IReadOnlyList<MultiaddrComponent> parts = address.Components;
        if (parts.Count != 3 || parts[0].Protocol is not (MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6)
            || parts[1].Protocol != MultiaddrProtocol.Tcp || parts[2].Protocol != MultiaddrProtocol.P2p) return false;
        IPAddress ip = parts[0].ToIPAddress();
        return !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) && parts[1].ToPort() != 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        await Task.WhenAll(_dialing.Values).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "discovery: dialling {Address}")]
        public static partial void Dialing(ILogger logger, Multiaddr address);

        [LoggerMessage(Level = LogLevel.Debug, Message = "discovery: {Peer} sent a peer list we refused: {Reason}")]
        public static partial void BadPeerList(ILogger logger, PeerId peer, string reason);
    }
}
