using System.Collections.Concurrent;
using System.Threading.Channels;
using Mgr.Node.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Peers;

/// <summary>Runs MGR sessions over a <see cref="Libp2pHost"/>: one <c>/mgr/1</c> stream per peer (opened by the dialer),
/// a reader task that decodes frames and posts them to the <see cref="SwarmLoop"/>, and a writer task per peer fed by
/// a queue whose size is the engine's back-pressure signal. Peer handles are stable per peer id.</summary>
/// <remarks><see cref="ISwarmTransport"/> members are called on the loop and only queue; sessions call the engine only
/// through <see cref="SwarmLoop.Post"/>. A framing or decoding violation is reported to the engine and ends the
/// session.</remarks>
public sealed class Libp2pSwarmTransport : ISwarmTransport
{
    private readonly Libp2pHost _host;
    private readonly SwarmLoop _loop;
    private readonly ConcurrentDictionary<PeerId, PeerHandle> _handles = new();
    private readonly ConcurrentDictionary<PeerHandle, PeerId> _ids = new();
    private readonly ConcurrentDictionary<PeerHandle, Session> _sessions = new();
    private int _nextHandle;
    private SwarmEngine? _engine;

    public Libp2pSwarmTransport(Libp2pHost host, SwarmLoop loop)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _loop = loop ?? throw new ArgumentNullException(nameof(loop));
    }

    /// <summary>Connects the engine and starts accepting inbound <c>/mgr/1</c> streams.</summary>
    public void Attach(SwarmEngine engine)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _host.SetHandler(MgrProtocol.Id, RunSessionAsync);
    }

    /// <summary>The libp2p identity behind <paramref name="peer"/>, or null for a handle this transport never gave.</summary>
    public PeerId? PeerIdOf(PeerHandle peer) => _ids.TryGetValue(peer, out PeerId? id) ? id : null;

    /// <summary>The handle this transport gave <paramref name="peer"/>, or null when it never had a session with it.</summary>
    public PeerHandle? HandleOf(PeerId peer) => _handles.TryGetValue(peer, out PeerHandle handle) ? handle : null;

    /// <summary>Peers with an open session.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Dials <paramref name="address"/> (with /p2p/ id), opens the MGR stream and runs the session until it
    /// ends; returns when it ends.</summary>
    public async Task RunOutboundAsync(Multiaddr address, CancellationToken cancellation)
    {
        ProtocolChannel channel = await _host.OpenStreamAsync(address, MgrProtocol.Id, cancellation).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false)) await RunSessionAsync(channel, cancellation).ConfigureAwait(false);
    }

    /// <summary>Fault injection for tests of misbehaving peers: sees every outgoing message and returns a replacement, or
    /// null to send it unchanged. Null (the default) in a real node.</summary>
    public Func<IMessage, IMessage?>? OutgoingFilter { get; init; }

    public void Send(PeerHandle peer, IMessage message)
    {
        if (!_sessions.TryGetValue(peer, out Session? session)) return;
        if (OutgoingFilter?.Invoke(message) is { } replaced) message = replaced;
        Interlocked.Add(ref session.QueuedBytes, message.EncodedLength());
        session.Outbox.Writer.TryWrite(message);
    }

    public void Disconnect(PeerHandle peer, DisconnectReason reason)
    {
        if (!_sessions.TryGetValue(peer, out Session? session)) return;
        session.Outbox.Writer.TryWrite(new Disconnect(reason));
        session.Outbox.Writer.TryComplete();
    }

    public long QueuedBytes(PeerHandle peer) => _sessions.TryGetValue(peer, out Session? session) ? Interlocked.Read(ref session.QueuedBytes) : 0;

    private async Task RunSessionAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        SwarmEngine engine = _engine ?? throw new InvalidOperationException("Attach an engine first.");
        PeerHandle handle = _handles.GetOrAdd(channel.RemotePeer, _ => new PeerHandle(Interlocked.Increment(ref _nextHandle)));
        _ids[handle] = channel.RemotePeer;
        var session = new Session();
        if (!_sessions.TryAdd(handle, session))
        {
            channel.Reset();
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _loop.Post(() => engine.OnPeerConnected(handle));
        Task writer = WriteAsync(channel, session, stop.Token);
        try
        {
            FrameReader reader = FrameReader.Create(channel.Stream);
            while (await reader.ReadMessageAsync(Limits.ProtocolVersion, stop.Token).ConfigureAwait(false) is { } message)
            {
                _loop.Post(() => engine.OnMessage(handle, message));
                if (message is Disconnect) break;
            }
        }
        catch (ProtocolViolationException violation)
        {
            _loop.Post(() => engine.OnViolation(handle, violation.Reason));
        }
        catch (Exception error) when (error is IOException or HostException or OperationCanceledException or ObjectDisposedException)
        {
            // The stream or connection closed; the session simply ends.
        }
        finally
        {
            session.Outbox.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            _sessions.TryRemove(handle, out _);
            _loop.Post(() => engine.OnPeerDisconnected(handle));
        }
    }

    private static async Task WriteAsync(ProtocolChannel channel, Session session, CancellationToken cancellation)
    {
        FrameWriter writer = FrameWriter.Create(channel.Stream);
        try
        {
            await foreach (IMessage message in session.Outbox.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                await writer.WriteAsync(message, cancellation).ConfigureAwait(false);
                Interlocked.Add(ref session.QueuedBytes, -message.EncodedLength());
                if (message is Disconnect) break;
            }
            await channel.CloseWriteAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or HostException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; the reader side ends the session.
        }
    }

    private sealed class Session
    {
        public readonly Channel<IMessage> Outbox = Channel.CreateUnbounded<IMessage>(new UnboundedChannelOptions { SingleReader = true });
        public long QueuedBytes;
    }
}
