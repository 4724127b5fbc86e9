using Mgr.Protocol.Messages;

namespace Mgr.Node.Swarm.Simulation;

/// <summary>One node of a <see cref="SimulatedNetwork"/>: its handle (how other nodes' engines name it), its engine,
/// its link capacities, the wire bytes it moved, and optional filters on what it sends (to model a malicious peer).</summary>
/// <remarks>Owned by the network's single loop; read the counters between events or after a run.</remarks>
public sealed class SimulatedNode
{
    internal SimulatedNode(string name, PeerHandle handle, NodeCapacity capacity) => (Name, Handle, Capacity) = (name, handle, capacity);

    /// <summary>Name for reports.</summary>
    public string Name { get; }

    /// <summary>The handle every other node's engine uses for this node.</summary>
    public PeerHandle Handle { get; }

    /// <summary>Upload and download capacity of this node's access link.</summary>
    public NodeCapacity Capacity { get; }

    /// <summary>The node's engine (set by <see cref="SimulatedNetwork.AddNode(string, Func{ISwarmTransport, IClock, SwarmEngine})"/>).</summary>
    public SwarmEngine Engine { get; internal set; } = null!;

    /// <summary>Rewrites each message this node sends; returning null means send it as is.</summary>
    public Func<PeerHandle, IMessage, IMessage?>? OutgoingFilter { get; set; }

    /// <summary>Decides for each message this node's engine sends whether it is silently dropped (a withholding peer).</summary>
    public Func<PeerHandle, IMessage, bool>? Withholds { get; set; }

    /// <summary>The largest backlog (wire bytes sent and not yet delivered) any of this node's sessions has had.</summary>
    public long MaxQueuedBytes { get; internal set; }

    /// <summary>True while the node takes part (ticks and deliveries).</summary>
    public bool IsOnline { get; internal set; } = true;

    /// <summary>Wire bytes this node sent that were delivered (as <see cref="SimulatedNetwork.WireSize"/> counts them);
    /// what a closed session lost in flight is not counted.</summary>
    public long WireBytesSent { get; internal set; }

    /// <summary>Wire bytes delivered to this node.</summary>
    public long WireBytesReceived { get; internal set; }

    /// <summary>Wire bytes of <see cref="StateData"/> this node sent that were delivered (pushed, forwarded or served).</summary>
    public long ChunkBytesSent { get; internal set; }

    /// <summary>Wire bytes of <see cref="StateData"/> delivered to this node, duplicates included.</summary>
    public long ChunkBytesReceived { get; internal set; }

    internal TimeSpan UplinkFreeAt { get; set; }

    internal TimeSpan DownlinkFreeAt { get; set; }

    internal TimeSpan ControlUplinkFreeAt { get; set; }

    internal TimeSpan ControlDownlinkFreeAt { get; set; }

    internal HashSet<int> Neighbours { get; } = [];
}
