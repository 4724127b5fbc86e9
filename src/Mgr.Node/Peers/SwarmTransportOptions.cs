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
    public int MaxSessions { get; init; } = 64;

    /// <summary>Hard cap on encoded bytes queued towards one peer. The engine stops pushing at its own back-pressure limit
    /// (8 MiB) and answers requests Busy past it, so only a peer that stops reading reaches this; its session is dropped.
    /// 8 MiB of pushes + one 16 MiB message + slack.</summary>
    public long MaxQueuedBytesPerSession { get; init; } = 32 * 1024 * 1024;

    /// <summary>Hard cap on messages queued towards one peer (small messages cost more memory than their encoded size).</summary>
    public int MaxQueuedMessagesPerSession { get; init; } = 16_384;

    /// <summary>How long a peer may take to finish a frame it started (slowloris); null disables the check.</summary>
    public FrameTimeout? FrameTimeout { get; init; } = Mgr.Protocol.Framing.FrameTimeout.Default;

    /// <summary>How long the closing <c>Disconnect</c> to a peer that broke the protocol may take to leave.</summary>
    public TimeSpan FarewellTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The reason sent to a peer whose session ends because of <paramref name="violation"/>.</summary>
    public static DisconnectReason FarewellFor(ViolationReason violation) =>
        violation == ViolationReason.Timeout ? DisconnectReason.Timeout : PenaltyTable.DisconnectFor(violation) ?? DisconnectReason.ProtocolBreach;
}
