using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm.Simulation;

/// <summary>A deterministic in-memory network in virtual time for swarm engines (spec/simulator.md): every node has an
/// access link with an upload and a download capacity, each a serialised queue shared by all its sessions; every
/// session is a FIFO with its own latency; every engine ticks at a fixed interval; events run in (time, sequence)
/// order, so the same setup always produces the same run.</summary>
/// <remarks>Single-threaded: the run loop is the one loop that owns every engine. A message of s wire bytes from A to B
/// occupies A's uplink for s/up(A) after what A already queued, then B's downlink for s/down(B) no earlier than one
/// latency after it started upstream, and arrives when both are done (one message alone: s/min(up, down) + latency).
/// Messages are encoded and decoded on the way (the engines see exactly what a real peer would send), unless
/// <see cref="RoundTripMessages"/> is off.</remarks>
public sealed class SimulatedNetwork
{
    private readonly PriorityQueue<Action, (TimeSpan Time, long Sequence)> _events = new();
    private readonly List<SimulatedNode> _nodes = [];
    private readonly Dictionary<(int From, int To), Link> _links = [];
    private readonly SortedDictionary<string, long> _messagesSent = new(StringComparer.Ordinal);
    private long _sequence;

    /// <param name="latency">Default one-way delivery delay of a session.</param>
    /// <param name="uploadBytesPerSecond">Default upload capacity of a node, shared by its sessions; 0 = unlimited.</param>
    /// <param name="tickInterval">How often every engine's <see cref="SwarmEngine.OnTick"/> runs.</param>
    public SimulatedNetwork(TimeSpan latency, long uploadBytesPerSecond, TimeSpan tickInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(uploadBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tickInterval, TimeSpan.Zero);
        Latency = latency;
        UploadBytesPerSecond = uploadBytesPerSecond;
        TickInterval = tickInterval;
    }

    /// <summary>The shared virtual clock.</summary>
    public VirtualClock Clock { get; } = new();

    /// <summary>Default one-way session latency.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Default per-node upload capacity (0 = unlimited).</summary>
    public long UploadBytesPerSecond { get; }

    /// <summary>Default per-node download capacity (0 = unlimited, the default).</summary>
    public long DownloadBytesPerSecond { get; init; }

    /// <summary>Engine tick interval.</summary>
    public TimeSpan TickInterval { get; }

    /// <summary>Encode and decode every message in transit (default true).</summary>
    public bool RoundTripMessages { get; init; } = true;

    /// <summary>Bytes a message occupies on the links (default: its encoded length). A simulation of a large state
    /// over a small real one scales chunk-carrying messages here.</summary>
    public Func<IMessage, long> WireSize { get; init; } = static message => message.EncodedLength();

    /// <summary>The nodes added so far.</summary>
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>Messages sent so far, by type name (disconnects by reason too, e.g. "Disconnect:Timeout").</summary>
    public IReadOnlyDictionary<string, long> MessagesSent => _messagesSent;

    /// <summary>Events run so far (deliveries, ticks, scheduled actions).</summary>
    public long EventsProcessed { get; private set; }

    /// <summary>Adds a node with the network's default capacities.</summary>
    public SimulatedNode AddNode(string name, Func<ISwarmTransport, IClock, SwarmEngine> createEngine) =>
        AddNode(name, createEngine, new NodeCapacity(UploadBytesPerSecond, DownloadBytesPerSecond));

    /// <summary>Adds a node whose engine <paramref name="createEngine"/> builds over this network's transport and clock.</summary>
    public SimulatedNode AddNode(string name, Func<ISwarmTransport, IClock, SwarmEngine> createEngine, NodeCapacity capacity)
    {
        ArgumentNullException.ThrowIfNull(createEngine);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity.UploadBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity.DownloadBytesPerSecond);
        var node = new SimulatedNode(name, new PeerHandle(_nodes.Count), capacity);
        _nodes.Add(node);
        node.Engine = createEngine(new Transport(this, node), Clock);
        ScheduleTick(node, Clock.Now + TickInterval);
        return node;
    }

    /// <summary>Opens a session with the default latency (both engines see the other connect now).</summary>
    public void Connect(SimulatedNode a, SimulatedNode b) => Connect(a, b, Latency);

    /// <summary>Opens a session whose one-way latency is <paramref name="latency"/>; no-op if connected or offline.</summary>
    public void Connect(SimulatedNode a, SimulatedNode b, TimeSpan latency)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        if (a == b || _links.ContainsKey((a.Handle.Id, b.Handle.Id)) || !a.IsOnline || !b.IsOnline) return;
        _links[(a.Handle.Id, b.Handle.Id)] = new Link(latency);
        _links[(b.Handle.Id, a.Handle.Id)] = new Link(latency);
        a.Neighbours.Add(b.Handle.Id);
        b.Neighbours.Add(a.Handle.Id);
        Schedule(Clock.Now, () =>
        {
            if (!AreConnected(a, b)) return;
            a.Engine.OnPeerConnected(b.Handle);
            b.Engine.OnPeerConnected(a.Handle);
        });
    }

    /// <summary>True while a session between the two nodes is open.</summary>
    public bool AreConnected(SimulatedNode a, SimulatedNode b) => _links.ContainsKey((a.Handle.Id, b.Handle.Id));

    /// <summary>Connects every pair of online nodes.</summary>
    public void ConnectAll()
    {
        for (int i = 0; i < _nodes.Count; i++)
        for (int j = i + 1; j < _nodes.Count; j++)
            Connect(_nodes[i], _nodes[j]);
    }

    /// <summary>Closes the session between two nodes; queued messages are lost.</summary>
    public void Disconnect(SimulatedNode a, SimulatedNode b)
    {
        if (!_links.Remove((a.Handle.Id, b.Handle.Id)) | !_links.Remove((b.Handle.Id, a.Handle.Id))) return;
        a.Neighbours.Remove(b.Handle.Id);
        b.Neighbours.Remove(a.Handle.Id);
        a.Engine.OnPeerDisconnected(b.Handle);
        b.Engine.OnPeerDisconnected(a.Handle);
    }

    /// <summary>Takes a node off the network (all its sessions close, its queues empty) or brings it back (no sessions
    /// until connected).</summary>
    public void SetOnline(SimulatedNode node, bool online)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!online)
        {
            foreach (int other in node.Neighbours.ToList()) Disconnect(node, _nodes[other]);
            node.UplinkFreeAt = node.DownlinkFreeAt = Clock.Now;
        }
        bool wasOnline = node.IsOnline;
        node.IsOnline = online;
        if (online && !wasOnline) ScheduleTick(node, Clock.Now + TickInterval);
    }

    /// <summary>Runs <paramref name="action"/> on the loop at virtual time <paramref name="at"/> (now, if earlier).</summary>
    public void Schedule(TimeSpan at, Action action) => _events.Enqueue(action, (at < Clock.Now ? Clock.Now : at, _sequence++));

    /// <summary>Processes events until <paramref name="done"/> holds (checked after each event) or virtual time
    /// passes <paramref name="limit"/>; true when <paramref name="done"/> held.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(done);
        while (!done())
        {
            if (!_events.TryPeek(out _, out (TimeSpan Time, long Sequence) at) || at.Time > limit) return false;
            Action next = _events.Dequeue();
            Clock.AdvanceTo(at.Time);
            EventsProcessed++;
            next();
        }
        return true;
    }

    private void ScheduleTick(SimulatedNode node, TimeSpan at) => Schedule(at, () =>
    {
        if (!node.IsOnline) return;
        node.Engine.OnTick();
        ScheduleTick(node, Clock.Now + TickInterval);
    });

    /// <summary>Sends <paramref name="message"/> from <paramref name="from"/> to <paramref name="to"/> now, as if its engine
    /// had sent it but past its filters: scripted misbehaviour (floods, unsolicited responses) in tests.</summary>
    public void Inject(SimulatedNode from, SimulatedNode to, IMessage message)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(message);
        Send(from, to.Handle, message);
    }

    /// <summary>Sends raw frame contents (a code and a payload that need not decode) from <paramref name="from"/> to
    /// <paramref name="to"/>. The receiver decodes them as the real transport does: a valid message reaches its engine's
    /// <see cref="SwarmEngine.OnMessage"/>, an invalid one its <see cref="SwarmEngine.OnViolation"/>.</summary>
    public void InjectRaw(SimulatedNode from, SimulatedNode to, byte code, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(payload);
        if (!_links.TryGetValue((from.Handle.Id, to.Handle.Id), out Link? link)) return;
        TimeSpan arrival = Occupy(from, to, link, payload.Length + 1);
        Schedule(arrival, () =>
        {
            if (!_links.TryGetValue((from.Handle.Id, to.Handle.Id), out Link? current) || current != link) return;
            IMessage message;
            try
            {
                message = MessageDecoder.Decode(code, payload);
            }
            catch (ProtocolViolationException violation)
            {
                to.Engine.OnViolation(from.Handle, violation.Reason);
                return;
            }
            to.Engine.OnMessage(from.Handle, message);
        });
    }

    internal void Transmit(SimulatedNode from, PeerHandle to, IMessage message)
    {
        if (!_links.ContainsKey((from.Handle.Id, to.Id))) return;
        if (from.Withholds?.Invoke(to, message) == true) return;
        if (from.OutgoingFilter?.Invoke(to, message) is { } replaced) message = replaced;
        Send(from, to, message);
    }

    private void Send(SimulatedNode from, PeerHandle to, IMessage message)
    {
        if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? link)) return;
        IMessage delivered = RoundTripMessages ? RoundTrip(message) : message;
        long size = WireSize(message);
        SimulatedNode target = _nodes[to.Id];
        TimeSpan arrival = Occupy(from, target, link, size);
        bool chunk = message is StateData;
        string kind = message switch
        {
            Disconnect disconnect => $"Disconnect:{disconnect.Reason}",
            Unavailable unavailable => $"Unavailable:{unavailable.Reason}",
            _ => message.Code.ToString(),
        };
        _messagesSent[kind] = _messagesSent.GetValueOrDefault(kind) + 1;
        link.QueuedBytes += size;
        if (link.QueuedBytes > from.MaxQueuedBytes) from.MaxQueuedBytes = link.QueuedBytes;
        Schedule(arrival, () =>
        {
            if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? current) || current != link) return;
            link.QueuedBytes -= size;
            from.WireBytesSent += size;
            if (chunk) from.ChunkBytesSent += size;
            target.WireBytesReceived += size;
            if (chunk) target.ChunkBytesReceived += size;
            target.Engine.OnMessage(from.Handle, delivered);
        });
    }

    // Reserves the sender's uplink, then the receiver's downlink, both serialised in send order; returns the arrival time.
    private TimeSpan Occupy(SimulatedNode from, SimulatedNode to, Link link, long size)
    {
        TimeSpan now = Clock.Now;
        TimeSpan upStart = from.Capacity.UploadBytesPerSecond > 0 && from.UplinkFreeAt > now ? from.UplinkFreeAt : now;
        TimeSpan upEnd = upStart + NodeCapacity.TransferTime(size, from.Capacity.UploadBytesPerSecond);
        if (from.Capacity.UploadBytesPerSecond > 0) from.UplinkFreeAt = upEnd;
        TimeSpan arrival = upEnd + link.Latency;
        if (to.Capacity.DownloadBytesPerSecond > 0)
        {
            TimeSpan downStart = upStart + link.Latency;
            if (to.DownlinkFreeAt > downStart) downStart = to.DownlinkFreeAt;
            TimeSpan downEnd = downStart + NodeCapacity.TransferTime(size, to.Capacity.DownloadBytesPerSecond);
            if (downEnd > arrival) arrival = downEnd;
            to.DownlinkFreeAt = arrival;
        }
        if (arrival < link.LastArrival) arrival = link.LastArrival;
        link.LastArrival = arrival;
        return arrival;
    }

    private void Close(SimulatedNode from, PeerHandle to, DisconnectReason reason)
    {
        if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? link)) return;
        Transmit(from, to, new Disconnect(reason));
        SimulatedNode target = _nodes[to.Id];
        Schedule(link.LastArrival > Clock.Now ? link.LastArrival : Clock.Now + link.Latency, () => Disconnect(from, target));
    }

    private static IMessage RoundTrip(IMessage message)
    {
        byte[] payload = new byte[message.EncodedLength()];
        message.WriteTo(payload);
        return MessageDecoder.Decode((byte)message.Code, payload);
    }

    private sealed class Link(TimeSpan latency)
    {
        public TimeSpan Latency { get; } = latency;

        public TimeSpan LastArrival { get; set; }

        public long QueuedBytes { get; set; }
    }

    private sealed class Transport(SimulatedNetwork network, SimulatedNode node) : ISwarmTransport
    {
        public void Send(PeerHandle peer, IMessage message) => network.Transmit(node, peer, message);

        public void Disconnect(PeerHandle peer, DisconnectReason reason) => network.Close(node, peer, reason);

        public long QueuedBytes(PeerHandle peer) =>
            network._links.TryGetValue((node.Handle.Id, peer.Id), out Link? link) ? link.QueuedBytes : 0;
    }
}
