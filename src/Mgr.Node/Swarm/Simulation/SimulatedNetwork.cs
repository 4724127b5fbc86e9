using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm.Simulation;

/// <summary>A deterministic in-memory network in virtual time for swarm engines (spec/simulator.md): every node has an
/// access link with an upload and a download capacity, each a serialised queue shared by all its sessions; every
/// session is a FIFO with its own latency; every engine ticks at a fixed interval; events run in (time, sequence)
/// order, so the same setup always produces the same run.</summary>
/// <remarks>Single-threaded: the run loop is the one loop that owns every engine. A message of s wire bytes from A to B
/// occupies A's uplink for s/up(A) after what A already queued (reserved when sent); when its last byte has crossed
/// the session (one latency after it left A) it takes B's downlink for s/down(B), reserved then, in the order messages
/// reach B, no earlier than one latency after it started upstream; it arrives when both are done (one message alone:
/// s/min(up, down) + latency). With <see cref="ControlFirst"/>, control messages go ahead of queued bulk data.
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

    /// <summary>Control messages (everything but the chunk-carrying StateData, ChunkDiff, ByteCodes, TrieNodes and
    /// BlockHeaders) go ahead of the bulk data queued on an access link, as the sparse-flow priority of fq_codel
    /// (Linux's default queueing discipline) sends them; they still take their transmission time and delay the bulk
    /// queue by as much, and never overtake an earlier message of their own session. Off (one FIFO per direction) by
    /// default.</summary>
    public bool ControlFirst { get; init; }

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
            node.UplinkFreeAt = node.DownlinkFreeAt = node.ControlUplinkFreeAt = node.ControlDownlinkFreeAt = Clock.Now;
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
        // Work takes no virtual time, so no event can be waiting behind the ride here: its bursts run at once.
        while (node.Engine.ContinueRide()) { }
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
        Carry(from, to.Handle, payload.Length + 1, chunk: false, control: ControlFirst, target =>
        {
            IMessage message;
            try
            {
                message = MessageDecoder.Decode(code, payload);
            }
            catch (ProtocolViolationException violation)
            {
                target.Engine.OnViolation(from.Handle, violation.Reason);
                return;
            }
            target.Engine.OnMessage(from.Handle, message);
        });
    }

    internal void Transmit(SimulatedNode from, PeerHandle to, IMessage message, Action? afterDelivery = null)
    {
        if (!_links.ContainsKey((from.Handle.Id, to.Id))) return;
        if (from.Withholds?.Invoke(to, message) == true)
        {
            if (afterDelivery is not null) Schedule(Clock.Now, afterDelivery);
            return;
        }
        if (from.OutgoingFilter?.Invoke(to, message) is { } replaced) message = replaced;
        Send(from, to, message, afterDelivery);
    }

    private void Send(SimulatedNode from, PeerHandle to, IMessage message, Action? afterDelivery = null)
    {
        if (!_links.ContainsKey((from.Handle.Id, to.Id))) return;
        IMessage delivered = RoundTripMessages ? RoundTrip(message) : message;
        string kind = message switch
        {
            Disconnect disconnect => $"Disconnect:{disconnect.Reason}",
            Unavailable unavailable => $"Unavailable:{unavailable.Reason}",
            _ => message.Code.ToString(),
        };
        _messagesSent[kind] = _messagesSent.GetValueOrDefault(kind) + 1;
        Carry(from, to, WireSize(message), message is StateData, ControlFirst && !IsBulk(message), target =>
        {
            target.Engine.OnMessage(from.Handle, delivered);
            afterDelivery?.Invoke();
        });
    }

    // Moves `size` bytes over the from → to session: the sender's uplink, the latency, then the receiver's downlink
    // (reserved once the last byte reaches it, in the order messages reach it, not the order they were sent); runs
    // `deliver` on arrival unless the session closed meanwhile.
    private void Carry(SimulatedNode from, PeerHandle to, long size, bool chunk, bool control, Action<SimulatedNode> deliver)
    {
        if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? link)) return;
        SimulatedNode target = _nodes[to.Id];
        (TimeSpan upStart, TimeSpan upEnd) = ReserveUplink(from, size, control);
        TimeSpan edge = upEnd + link.Latency;
        if (edge < link.LastEdge) edge = link.LastEdge;
        link.LastEdge = edge;
        link.QueuedBytes += size;
        if (link.QueuedBytes > from.MaxQueuedBytes) from.MaxQueuedBytes = link.QueuedBytes;
        Schedule(edge, () =>
        {
            if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? current) || current != link) return;
            TimeSpan arrival = ReserveDownlink(target, size, control, upStart + link.Latency);
            if (arrival < link.LastArrival) arrival = link.LastArrival;
            link.LastArrival = arrival;
            Schedule(arrival, () =>
            {
                if (!_links.TryGetValue((from.Handle.Id, to.Id), out Link? open) || open != link) return;
                link.QueuedBytes -= size;
                from.WireBytesSent += size;
                if (chunk) from.ChunkBytesSent += size;
                target.WireBytesReceived += size;
                if (chunk) target.ChunkBytesReceived += size;
                deliver(target);
            });
        });
    }

    // Reserves the sender's uplink, serialised in send order (control messages ahead of bulk data when `control`);
    // returns when the message starts and finishes leaving it.
    private (TimeSpan Start, TimeSpan End) ReserveUplink(SimulatedNode from, long size, bool control)
    {
        TimeSpan now = Clock.Now;
        long up = from.Capacity.UploadBytesPerSecond;
        if (up <= 0) return (now, now);
        TimeSpan time = NodeCapacity.TransferTime(size, up);
        if (control)
        {
            TimeSpan start = Later(now, from.ControlUplinkFreeAt);
            from.ControlUplinkFreeAt = start + time;
            from.UplinkFreeAt = Later(now, from.UplinkFreeAt) + time;
            return (start, start + time);
        }
        TimeSpan bulkStart = Later(now, Later(from.UplinkFreeAt, from.ControlUplinkFreeAt));
        from.UplinkFreeAt = bulkStart + time;
        return (bulkStart, bulkStart + time);
    }

    // Reserves the receiver's downlink for a message whose last byte reaches it now and whose first byte could have
    // reached it at `firstByte`; returns when the message is received.
    private TimeSpan ReserveDownlink(SimulatedNode to, long size, bool control, TimeSpan firstByte)
    {
        TimeSpan now = Clock.Now;
        long down = to.Capacity.DownloadBytesPerSecond;
        if (down <= 0) return now;
        TimeSpan time = NodeCapacity.TransferTime(size, down);
        if (control)
        {
            TimeSpan end = Later(now, Later(firstByte, to.ControlDownlinkFreeAt) + time);
            to.ControlDownlinkFreeAt = end;
            to.DownlinkFreeAt = Later(firstByte, to.DownlinkFreeAt) + time;
            return end;
        }
        TimeSpan arrival = Later(now, Later(firstByte, Later(to.DownlinkFreeAt, to.ControlDownlinkFreeAt)) + time);
        to.DownlinkFreeAt = arrival;
        return arrival;
    }

    private static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsBulk(IMessage message) => message is StateData or ChunkDiff or ByteCodes or TrieNodes or BlockHeaders;

    private void Close(SimulatedNode from, PeerHandle to, DisconnectReason reason)
    {
        if (!_links.ContainsKey((from.Handle.Id, to.Id))) return;
        SimulatedNode target = _nodes[to.Id];
        // The session closes once the Disconnect (after everything sent before it) was delivered.
        Transmit(from, to, new Disconnect(reason), () => Disconnect(from, target));
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

        public TimeSpan LastEdge { get; set; }

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
