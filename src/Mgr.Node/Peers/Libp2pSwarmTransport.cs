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
/// through <see cref="SwarmLoop.Post"/>. A framing or decoding violation (or a frame not finished in time) is reported
/// to the engine, answered with <c>Disconnect</c> (ProtocolBreach, or Timeout) and ends the session. Bounds
/// (<see cref="SwarmTransportOptions"/>): sessions beyond the limit are refused with TooManyPeers, and a peer whose queue
/// passes the hard cap (it stopped reading) is dropped.</remarks>
public sealed class Libp2pSwarmTransport : ISwarmTransport
{
    private readonly Libp2pHost _host;
    private readonly SwarmLoop _loop;
    private readonly SwarmTransportOptions _options;
    private readonly ConcurrentDictionary<PeerId, PeerHandle> _handles = new();
    private readonly ConcurrentDictionary<PeerHandle, PeerId> _ids = new();
    private readonly ConcurrentDictionary<PeerHandle, Session> _sessions = new();
    private readonly FrameMemoryBudget _inbound;
    private int _nextHandle;
    private int _sessionCount;
    private long _totalQueuedBytes;
    private SwarmEngine? _engine;

    public Libp2pSwarmTransport(Libp2pHost host, SwarmLoop loop, SwarmTransportOptions? options = null)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _loop = loop ?? throw new ArgumentNullException(nameof(loop));
        _options = options ?? new SwarmTransportOptions();
        _inbound = new FrameMemoryBudget(_options.MaxInboundFrameBytes);
    }

    /// <summary>The memory budget large inbound frames of all sessions share.</summary>
    public FrameMemoryBudget InboundFrames => _inbound;

    /// <summary>Encoded bytes queued towards all peers now.</summary>
    public long TotalQueuedBytes => Interlocked.Read(ref _totalQueuedBytes);

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

    /// <summary>True while an MGR session with <paramref name="peer"/> runs.</summary>
    public bool HasSession(PeerId peer) => _handles.TryGetValue(peer, out PeerHandle handle) && _sessions.ContainsKey(handle);

    /// <summary>The engine's handle for <paramref name="peer"/>, once it has had a session.</summary>
    public bool TryGetHandle(PeerId peer, out PeerHandle handle) => _handles.TryGetValue(peer, out handle);

    /// <summary>Dials <paramref name="address"/> (with /p2p/ id), opens the MGR stream and runs the session until it
    /// ends; returns when it ends.</summary>
    public async Task RunOutboundAsync(Multiaddr address, CancellationToken cancellation)
    {
        ProtocolChannel channel = await _host.OpenStreamAsync(address, MgrProtocol.Id, cancellation).ConfigureAwait(false);
        await using (channel.ConfigureAwait(false)) await RunSessionAsync(channel, cancellation).ConfigureAwait(false);
    }

    /// <summary>Peers refused a session before the engine hears of them (<c>Disconnect(Banned)</c>): bans that outlived a
    /// restart (<see cref="PersistentBans"/>). Null: none.</summary>
    public Func<PeerId, bool>? Refuses { get; init; }

    /// <summary>Fault injection for tests of misbehaving peers: sees every outgoing message and returns a replacement, or
    /// null to send it unchanged. Null (the default) in a real node.</summary>
    public Func<IMessage, IMessage?>? OutgoingFilter { get; init; }

    public void Send(PeerHandle peer, IMessage message)
    {
        if (!_sessions.TryGetValue(peer, out Session? session)) return;
        if (OutgoingFilter?.Invoke(message) is { } replaced) message = replaced;
        long queued = Interlocked.Add(ref session.QueuedBytes, message.EncodedLength());
        int messages = Interlocked.Increment(ref session.QueuedMessages);
        if (queued > _options.MaxQueuedBytesPerSession || messages > _options.MaxQueuedMessagesPerSession)
        {
            // The peer stopped reading: drop the session rather than queue without bound.
            Interlocked.Add(ref session.QueuedBytes, -message.EncodedLength());
            Interlocked.Decrement(ref session.QueuedMessages);
            session.Abort();
            return;
        }
        Interlocked.Add(ref _totalQueuedBytes, message.EncodedLength());
        if (!session.Outbox.Writer.TryWrite(message)) Dequeued(session, message);
    }

    public void Disconnect(PeerHandle peer, DisconnectReason reason)
    {
        if (!_sessions.TryGetValue(peer, out Session? session)) return;
        session.Outbox.Writer.TryWrite(new Disconnect(reason));
        session.Outbox.Writer.TryComplete();
    }

    /// <remarks>While the total queued towards all peers is over <see cref="SwarmTransportOptions.MaxTotalQueuedBytes"/>, a
    /// value above any per-peer limit: the uplink is shared, so every peer waits until it drains. The same for a peer whose
    /// session has ended while the engine has not heard of it yet (the disconnect is posted to its loop): it can take
    /// nothing, and reading 0 would let a seeder's ride, which fills queues up to the limit within one tick, produce and
    /// "send" every remaining chunk of the epoch to it.</remarks>
    public long QueuedBytes(PeerHandle peer)
    {
        if (!_sessions.TryGetValue(peer, out Session? session)) return long.MaxValue / 2;
        return TotalQueuedBytes > _options.MaxTotalQueuedBytes ? long.MaxValue / 2 : Interlocked.Read(ref session.QueuedBytes);
    }

    // Accounts for a message that left the queue (written, or dropped with its session).
    private void Dequeued(Session session, IMessage message)
    {
        Interlocked.Add(ref session.QueuedBytes, -message.EncodedLength());
        Interlocked.Decrement(ref session.QueuedMessages);
        Interlocked.Add(ref _totalQueuedBytes, -message.EncodedLength());
    }

    private async Task RunSessionAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        SwarmEngine engine = _engine ?? throw new InvalidOperationException("Attach an engine first.");
        if (Refuses?.Invoke(channel.RemotePeer) == true)
        {
            await RefuseAsync(channel, DisconnectReason.Banned, cancellation).ConfigureAwait(false);
            return;
        }
        if (Interlocked.Increment(ref _sessionCount) > _options.MaxSessions)
        {
            Interlocked.Decrement(ref _sessionCount);
            await RefuseAsync(channel, DisconnectReason.TooManyPeers, cancellation).ConfigureAwait(false);
            return;
        }
        try
        {
            await RunAdmittedSessionAsync(engine, channel, cancellation).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _sessionCount);
        }
    }

    private async Task RunAdmittedSessionAsync(SwarmEngine engine, ProtocolChannel channel, CancellationToken cancellation)
    {
        PeerHandle handle = _handles.GetOrAdd(channel.RemotePeer, _ => new PeerHandle(Interlocked.Increment(ref _nextHandle)));
        _ids[handle] = channel.RemotePeer;
        using var session = new Session(_options.MaxUnhandledMessagesPerSession, cancellation);
        if (!_sessions.TryAdd(handle, session))
        {
            channel.Reset();
            return;
        }
        _loop.Post(() => engine.OnPeerConnected(handle));
        Task writer = WriteAsync(channel, session, session.Stop.Token);
        DisconnectReason? farewell = null;
        try
        {
            FrameReader reader = FrameReader.Create(channel.Stream, _options.FrameTimeout, _inbound);
            while (await reader.ReadMessageAsync(Limits.ProtocolVersion, session.Stop.Token).ConfigureAwait(false) is { } message)
            {
                FrameMemoryLease? lease = reader.TakeLease();
                try
                {
                    await session.Unhandled.Writer.WriteAsync(true, session.Stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    lease?.Dispose();
                    throw;
                }
                _loop.Post(() =>
                {
                    try
                    {
                        engine.OnMessage(handle, message);
                    }
                    finally
                    {
                        lease?.Dispose();
                        session.Unhandled.Reader.TryRead(out _);
                    }
                });
                if (message is Disconnect) break;
            }
        }
        catch (ProtocolViolationException violation)
        {
            farewell = SwarmTransportOptions.FarewellFor(violation.Reason);
            _loop.Post(() => engine.OnViolation(handle, violation.Reason));
        }
        catch (Exception error) when (error is IOException or HostException or OperationCanceledException or ObjectDisposedException)
        {
            // The stream or connection closed (or the session was aborted); the session simply ends.
        }
        finally
        {
            // After a violation the byte stream cannot be trusted: say why (spec §1) and give it a moment to leave;
            // reset the stream only if it could not (or the peer stopped reading: its session was aborted).
            bool saidFarewell = false;
            if (farewell is { } reason && session.Outbox.Writer.TryWrite(new Disconnect(reason)))
            {
                session.Outbox.Writer.TryComplete();
                saidFarewell = await Task.WhenAny(writer, Task.Delay(_options.FarewellTimeout, CancellationToken.None)).ConfigureAwait(false) == writer;
            }
            session.Outbox.Writer.TryComplete();
            await session.Stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            while (session.Outbox.Reader.TryRead(out IMessage? unsent)) Dequeued(session, unsent);
            if ((farewell is not null && !saidFarewell) || session.Aborted) channel.Reset();
            _sessions.TryRemove(handle, out _);
            _loop.Post(() => engine.OnPeerDisconnected(handle));
        }
    }

    // Tells a peer beyond the session limit why, then closes the stream.
    private static async Task RefuseAsync(ProtocolChannel channel, DisconnectReason reason, CancellationToken cancellation)
    {
        try
        {
            await FrameWriter.Create(channel.Stream).WriteAsync(new Disconnect(reason), cancellation).ConfigureAwait(false);
            await channel.CloseWriteAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or HostException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already.
        }
    }

    private async Task WriteAsync(ProtocolChannel channel, Session session, CancellationToken cancellation)
    {
        FrameWriter writer = FrameWriter.Create(channel.Stream);
        try
        {
            await foreach (IMessage message in session.Outbox.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                try
                {
                    await writer.WriteAsync(message, cancellation).ConfigureAwait(false);
                }
                finally
                {
                    Dequeued(session, message);
                }
                if (message is Disconnect) break;
            }
            await channel.CloseWriteAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or HostException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away; the reader side ends the session.
        }
    }

    private sealed class Session(int maxUnhandled, CancellationToken cancellation) : IDisposable
    {
        public readonly Channel<IMessage> Outbox = Channel.CreateUnbounded<IMessage>(new UnboundedChannelOptions { SingleReader = true });

        /// <summary>One token per message posted to the loop and not yet handled: writing waits when it is full.</summary>
        public readonly Channel<bool> Unhandled = Channel.CreateBounded<bool>(new BoundedChannelOptions(maxUnhandled) { FullMode = BoundedChannelFullMode.Wait });
        public readonly CancellationTokenSource Stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        public long QueuedBytes;
        public int QueuedMessages;
        private int _aborted;

        /// <summary>True once the session was dropped for passing its queue cap.</summary>
        public bool Aborted => Volatile.Read(ref _aborted) != 0;

        /// <summary>Ends the session from the loop without running its continuations there: the reader and writer see the
        /// cancellation on the thread pool and the session's own cleanup reports the disconnect.</summary>
        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
            Outbox.Writer.TryComplete();
            ThreadPool.UnsafeQueueUserWorkItem(static stop => Cancel(stop), Stop, preferLocal: false);
        }

        public void Dispose() => Stop.Dispose();

        private static void Cancel(CancellationTokenSource stop)
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The session ended on its own first.
            }
        }
    }
}
