using Mgr.Node.Swarm;
using Mgr.Protocol.Addressing;

namespace Mgr.Node.NodeRuntime;

/// <summary>What a running swarm node needs: the engine's options, where to listen, whom to dial, and how often to tick
/// and redial.</summary>
public sealed record SwarmNodeOptions
{
    /// <summary>Engine configuration (role, chain identity, knobs).</summary>
    public SwarmOptions Swarm { get; init; } = new();

    /// <summary>Listen addresses, e.g. <c>/ip4/127.0.0.1/tcp/0</c>.</summary>
    public IReadOnlyList<Multiaddr> Listen { get; init; } = [];

    /// <summary>Peers to keep a session with (with <c>/p2p/</c> ids); redialled when the session ends.</summary>
    public IReadOnlyList<Multiaddr> Bootnodes { get; init; } = [];

    /// <summary>Engine tick interval.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Where penalties, bans and verification outcomes are logged (null: not logged).</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Fault injection for tests (see <see cref="Peers.Libp2pSwarmTransport.OutgoingFilter"/>); null in a real node.</summary>
    public Func<Mgr.Protocol.Messages.IMessage, Mgr.Protocol.Messages.IMessage?>? OutgoingFilter { get; init; }

    /// <summary>MGR sessions to keep by peer exchange beyond the bootnodes (<see cref="Peers.PeerDiscovery"/>); 0 turns
    /// dialling discovered peers off (the node still answers others' peer-exchange requests).</summary>
    public int TargetPeers { get; init; } = DefaultTargetPeers;

    /// <summary>The default of <see cref="TargetPeers"/>.</summary>
    public const int DefaultTargetPeers = 16;

    /// <summary>Pause before redialling a bootnode whose session ended or failed.</summary>
    public TimeSpan RedialDelay { get; init; } = TimeSpan.FromSeconds(1);
}
