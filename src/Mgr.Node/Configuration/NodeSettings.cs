using Mgr.Node.Cli;
using Mgr.Node.Dashboard;
using Mgr.Node.Logging;
using Mgr.Node.Telemetry;
using Mgr.Protocol.Addressing;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Configuration;

/// <summary>Every setting of <c>mgr node</c>, validated, after layering the config file, MGR_* environment variables
/// and flags (<see cref="NodeOptions.Load"/>). Optional features are null when off.</summary>
internal sealed record NodeSettings
{
    /// <summary>The config file read, if any.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The node's data directory; null keeps nothing on disk.</summary>
    public string? DataDir { get; init; }

    /// <summary>Multiaddrs to listen on (at least one).</summary>
    public required IReadOnlyList<Multiaddr> Listen { get; init; }

    /// <summary>Peers to dial at start.</summary>
    public IReadOnlyList<Multiaddr> Bootnodes { get; init; } = [];

    /// <summary>The role asked for.</summary>
    public NodeRole Role { get; init; } = NodeRole.Auto;

    /// <summary>The network's name (e.g. "devnet"), or null.</summary>
    public string? Network { get; init; }

    /// <summary>Default MGR epoch length (blocks): the devnet's (spec/devnet.md).</summary>
    public const ulong DefaultEpochLength = 32;

    /// <summary>Largest epoch length accepted (about a year of 12-second blocks).</summary>
    public const ulong MaxEpochLength = 1 << 22;

    /// <summary>A genesis.json file, or null (the node is then a bare libp2p host).</summary>
    public string? Genesis { get; init; }

    /// <summary>MGR epoch length E in blocks (a network parameter).</summary>
    public ulong EpochLength { get; init; } = DefaultEpochLength;

    /// <summary>The default of <see cref="TargetPeers"/>.</summary>
    public const int DefaultTargetPeers = NodeRuntime.SwarmNodeOptions.DefaultTargetPeers;

    /// <summary>The largest <see cref="TargetPeers"/>: the transport's session limit.</summary>
    public const int MaxTargetPeers = 32;

    /// <summary>MGR sessions kept by peer exchange beyond the bootnodes (0: dial only the bootnodes).</summary>
    public int TargetPeers { get; init; } = DefaultTargetPeers;

    /// <summary>A devnet directory the node follows as a full node (its state source as a seeder), or null.</summary>
    public string? Devnet { get; init; }

    /// <summary>Checkpoint sources, Engine API and header download.</summary>
    public required ChainSettings Chain { get; init; }

    /// <summary>Metrics export, or null when off.</summary>
    public TelemetrySettings? Telemetry { get; init; }

    /// <summary>The dashboard, or null when off.</summary>
    public DashboardSettings? Dashboard { get; init; }

    /// <summary>Minimum level logged.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Log output format.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;
}
