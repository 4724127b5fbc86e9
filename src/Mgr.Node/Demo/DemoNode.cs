namespace Mgr.Node.Demo;

/// <summary>One node of the demo (the seeder or a leecher): its directory, ports, process and what its status
/// endpoint last said.</summary>
/// <remarks>Status fields are written by the demo's polling loop only and read after it or by the progress display
/// (a stale read there only delays a number by one poll).</remarks>
public sealed class DemoNode(string name, string role, string dataDirectory, int p2pPort, int enginePort, int dashboardPort)
{
    private volatile string? _listenAddress;

    public string Name { get; } = name;

    /// <summary>The role it was started with: "seeder" or "leecher".</summary>
    public string Role { get; } = role;

    public string DataDirectory { get; } = dataDirectory;
    public int P2pPort { get; } = p2pPort;
    public int EnginePort { get; } = enginePort;
    public int DashboardPort { get; } = dashboardPort;
    public string LogPath => Path.Combine(DataDirectory, "node.log");
    public string JwtSecretPath => Path.Combine(DataDirectory, "jwt.hex");
    public string StorePath => Path.Combine(DataDirectory, "db");
    public Uri StatusUri => new($"http://127.0.0.1:{DashboardPort}/api/status");
    public ChildProcess? Process { get; set; }

    /// <summary>The full listen address the node printed (<c>/ip4/…/tcp/…/p2p/&lt;id&gt;</c>), null until it did.</summary>
    public string? ListenAddress => _listenAddress;

    public NodeStatus? Status { get; set; }

    /// <summary>For a leecher: since its process started, when its status endpoint first said synced.</summary>
    public TimeSpan? TimeToSynced { get; set; }

    /// <summary>Takes the first line of the node's stdout that is a listen address.</summary>
    public void OnStdoutLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_listenAddress is null && line.StartsWith("/ip4/", StringComparison.Ordinal) && line.Contains("/p2p/", StringComparison.Ordinal))
            _listenAddress = line.Trim();
    }
}
