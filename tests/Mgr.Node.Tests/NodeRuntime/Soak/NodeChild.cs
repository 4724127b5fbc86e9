using System.Diagnostics;
using System.Globalization;
using Mgr.Node.Demo;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>A node run as a real child process, <c>dotnet mgr.dll node …</c>, on a fixed datadir, P2P port, Engine API
/// port and dashboard port, so that every restart is the same node to the producer and its peers. A seeder is given the
/// devnet directory it serves, a leecher the seeder's address. Each run logs to <c>&lt;datadir&gt;/run-N.log</c>.</summary>
/// <remarks>One run at a time; not thread-safe.</remarks>
internal sealed class NodeChild : IAsyncDisposable
{
    private static readonly MgrExecutable Mgr = MgrExecutable.ForAssembly("dotnet", typeof(DemoRunner).Assembly);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2), MaxResponseContentBufferSize = NodeStatus.MaxDocumentBytes };
    private readonly List<string> _arguments;
    private ChildProcess? _process;
    private volatile string? _listenAddress;

    private NodeChild(string dataDir, NodePorts ports, List<string> arguments)
    {
        DataDir = dataDir;
        Ports = ports;
        _arguments = arguments;
        Directory.CreateDirectory(dataDir);
    }

    /// <summary>A seeder serving the devnet at <paramref name="devnetRoot"/>.</summary>
    public static NodeChild Seeder(string dataDir, NodePorts ports, string genesis, string secretPath, ulong epochLength, string devnetRoot) =>
        new(dataDir, ports, [.. Arguments("seeder", dataDir, ports, genesis, secretPath, epochLength), "--devnet", devnetRoot]);

    /// <summary>A leecher whose only bootnode is <paramref name="bootnode"/> (a full <c>/ip4/…/p2p/…</c> address).</summary>
    public static NodeChild Leecher(string dataDir, NodePorts ports, string genesis, string secretPath, ulong epochLength, string bootnode) =>
        new(dataDir, ports, [.. Arguments("leecher", dataDir, ports, genesis, secretPath, epochLength), "--bootnode", bootnode]);

    public string DataDir { get; }
    public NodePorts Ports { get; }
    public Uri EngineAddress => new($"http://127.0.0.1:{Ports.Engine}/");
    public string StorePath => Path.Combine(DataDir, "db");

    /// <summary>The listen address the current run printed (<c>/ip4/…/tcp/…/p2p/&lt;id&gt;</c>); null until it did.</summary>
    public string? ListenAddress => _listenAddress;

    /// <summary>Runs started so far.</summary>
    public int Runs { get; private set; }

    /// <summary>The running process, if any.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>True when the current run's process has exited (by itself or killed).</summary>
    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>The last lines of the current run's output.</summary>
    public string Tail() => _process is null ? "" : string.Join(" | ", _process.Tail());

    /// <summary>The exit code of the current run, once it exited.</summary>
    public int? ExitCode => _process is { HasExited: true } process ? process.ExitCode : null;

    /// <summary>The current run's log file.</summary>
    public string LogPath => Path.Combine(DataDir, $"run-{Runs}.log");

    /// <summary>Starts a run; the previous one must have ended.</summary>
    public void Start()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("the node is still running");
        Runs++;
        _listenAddress = null;
        _process = ChildProcess.Start($"{Path.GetFileName(DataDir)} run {Runs}", Mgr, _arguments, LogPath, OnStdoutLine);
    }

    /// <summary>The current status, or null while the dashboard does not answer (starting, or gone).</summary>
    public async Task<SoakStatus?> PollAsync()
    {
        try
        {
            byte[] body = await _http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{Ports.Dashboard}/api/status"));
            return SoakStatus.Parse(body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Peak resident set size of the running process so far (VmHWM), in bytes; null when it is gone.</summary>
    public long? PeakResidentBytes() => ProcessId is { } pid ? ProcessMemory.PeakResidentBytes(pid) : null;

    /// <summary>SIGKILL: the process dies at once, between any two writes, and is reaped.</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using Process process = Process.GetProcessById(_process.Id);
            process.Kill(); // SIGKILL on Unix
        }
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>SIGTERM, a clean stop (up to 30 s); returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (_process is null) return 0;
        int code = await _process.StopAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
        _process = null;
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _http.Dispose();
    }

    private void OnStdoutLine(string line)
    {
        if (_listenAddress is null && line.StartsWith("/ip4/", StringComparison.Ordinal) && line.Contains("/p2p/", StringComparison.Ordinal))
            _listenAddress = line.Trim();
    }

    private static List<string> Arguments(string role, string dataDir, NodePorts ports, string genesis, string secretPath, ulong epochLength) =>
    [
        "node", "--role", role, "--datadir", dataDir, "--listen", $"/ip4/127.0.0.1/tcp/{ports.P2p}",
        "--engine-port", ports.Engine.ToString(CultureInfo.InvariantCulture), "--jwt-secret", secretPath,
        "--dashboard", $"127.0.0.1:{ports.Dashboard}", "--network", "devnet", "--genesis", genesis,
        "--epoch-length", epochLength.ToString(CultureInfo.InvariantCulture),
    ];
}
