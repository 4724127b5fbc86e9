using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Peers;

/// <summary>Limits of a <see cref="Libp2pSwarmTransport"/> that hold whatever the peers and the engine do (issue 11,
/// docs/limits.md): session count, the bytes and messages queued towards one peer, and the time a peer may take to send
/// a frame it started.</summary>
public sealed record SwarmTransportOptions
{
    /// <summary>MGR sessions at once; a session beyond it is sent <c>Disconnect(TooManyPeers)</c> and closed. Together with
    /// the per-session bounds below it caps the swarm's memory (docs/limits.md).</summary>
    public int MaxSessions { get; init; } = 32;

    /// <summary>Hard cap on encoded bytes queued towards one peer. The engine stops pushing at its own back-pressure limit
    /// (8 MiB) and answers requests Busy past it, so only a peer that stops reading reaches this; its session is dropped.
    /// 8 MiB of pushes + one 4 MiB chunk + slack.</summary>
    public long MaxQueuedBytesPerSession { get; init; } = 16 * 1024 * 1024;

    /// <summary>Hard cap on messages queued towards one peer (small messages cost more memory than their encoded size).</summary>
    public int MaxQueuedMessagesPerSession { get; init; } = 4096;

    /// <summary>Encoded bytes queued towards all peers together. While the total is above it, the transport reports every
    /// peer as over the engine's back-pressure limit: the engine stops pushing and answers requests Busy until it drains.</summary>
    public long MaxTotalQueuedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Memory all sessions together may hold for large inbound frames (<see cref="FrameMemoryBudget"/>): a
    /// 16 MiB frame reserves its raw bytes plus twice its payload, so several can be in flight, and a flood of them waits.</summary>
    public long MaxInboundFrameBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Messages of one peer decoded but not yet handled by the engine; its reader waits (and the muxer window
    /// stops the peer) beyond it, so a fast peer cannot fill the loop's queue.</summary>
    public int MaxUnhandledMessagesPerSession { get; init; } = 4;

    /// <summary>How long a peer may take to finish a frame it started (slowloris); null disables the check.</summary>
    public FrameTimeout? FrameTimeout { get; init; } = Mgr.Protocol.Framing.FrameTimeout.Default;

    /// <summary>How long the closing <c>Disconnect</c> to a peer that broke the protocol may take to leave.</summary>
    public TimeSpan FarewellTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The reason sent to a peer whose session ends because of <paramref name="violation"/>.</summary>
    public static DisconnectReason FarewellFor(ViolationReason violation) =>
        violation == ViolationReason.Timeout ? DisconnectReason.Timeout : PenaltyTable.DisconnectFor(violation) ?? DisconnectReason.ProtocolBreach;
}
