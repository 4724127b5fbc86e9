using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Host;

/// <summary>Limits and timeouts of a <see cref="Libp2pHost"/>. The defaults suit a node with a few hundred peers.</summary>
public sealed record HostOptions
{
    /// <summary>Established connections, both directions; inbound ones beyond it are closed at once, dials fail.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Inbound connections being upgraded at once: a flood of half-open handshakes cannot pin more.</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>Budget for the whole upgrade: multistream, Noise handshake, muxer negotiation (and the TCP connect when dialling).</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Budget for agreeing on a stream's protocol.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection with no open stream for this long is closed; null keeps idle connections open.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long closing waits for stream handlers to finish after cancelling them.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Muxer limits: stream counts, windows, buffers.</summary>
    public YamuxOptions Yamux { get; init; } = new();

    /// <summary>Reported by Identify.</summary>
    public string AgentVersion { get; init; } = "mgr/0.1.0";

    /// <summary>Reported by Identify.</summary>
    public string ProtocolVersion { get; init; } = "ipfs/0.1.0";
}
