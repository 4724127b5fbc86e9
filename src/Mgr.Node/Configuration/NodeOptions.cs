using System.Collections;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Mgr.Node.Cli;
using Mgr.Node.Dashboard;
using Mgr.Node.EngineApi;
using Mgr.Node.Logging;
using Mgr.Node.Telemetry;
using Mgr.Protocol.Addressing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Configuration;

/// <summary>The flags of <c>mgr node</c> and their layering with a JSON config file (<c>--config</c> or MGR_CONFIG)
/// and MGR_* environment variables into validated <see cref="NodeSettings"/>: a flag given on the command line wins
/// over a variable, which wins over the file; lists are replaced, not merged. Keys and variables: docs in spec/cli.md.</summary>
/// <remarks>Add the options with <see cref="AddTo"/>, read them with <see cref="Load"/>; every malformed or missing
/// value is a <see cref="SettingsException"/> naming the flag, variable or file key it came from.</remarks>
internal sealed class NodeOptions
{
    /// <summary>Largest config file read: settings are a few hundred bytes.</summary>
    public const long MaxConfigFileBytes = 1024 * 1024;

    private static readonly string[] KnownKeys =
    [
        "config", "datadir", "listen", "bootnodes", "role", "network", "genesis", "checkpoint", "checkpointFile", "checkpointUrl",
        "engine:port", "engine:jwtSecret", "headersMemLimit", "backfill", "preverified", "otlp:endpoint", "otlp:protocol", "otlp:interval",
        "dashboard:address", "dashboard:allowRemote", "log:level", "log:format", "epochLength", "devnet", "targetPeers",
    ];

    private static readonly string[] ListKeys = ["listen", "bootnodes"];

    private readonly List<(Option Option, string Key, Func<ParseResult, IEnumerable<string>> Values)> _flags = [];

    public NodeOptions()
    {
        Config = Flag(new Option<string?>("--config") { Description = "JSON file of node settings (keys in spec/cli.md); flags and MGR_* variables override it." }, "config");
        DataDir = Flag(new Option<string?>("--datadir") { Description = "Node data directory (identity key, store). Without it nothing is kept." }, "datadir");
        Listen = Flag(new Option<string[]>("--listen") { Description = "Multiaddr to listen on, e.g. /ip4/127.0.0.1/tcp/4001 (repeatable; port 0 picks a free port)." }, "listen");
        Bootnodes = Flag(new Option<string[]>("--bootnode") { Description = "Multiaddr of a peer to dial at start, with /p2p/<peer id> (repeatable)." }, "bootnodes");
        Role = Flag(new Option<string?>("--role") { Description = "seeder, leecher or auto (default: seeder when the store holds the finalized state)." }, "role");
        Network = Flag(new Option<string?>("--network") { Description = "Network name, e.g. devnet." }, "network");
        Genesis = Flag(new Option<string?>("--genesis") { Description = "genesis.json of the chain (its hash and chain id identify the network). Without it the node is a bare libp2p host (Identify, Ping)." }, "genesis");
        EpochLength = Flag(new Option<string?>("--epoch-length") { Description = $"MGR epoch length E in blocks, a network parameter (default {NodeSettings.DefaultEpochLength}; spec/mgr-protocol.md §5.1)." }, "epochLength");
        TargetPeers = Flag(new Option<string?>("--target-peers") { Description = $"MGR sessions to keep by peer exchange beyond the bootnodes (default {NodeSettings.DefaultTargetPeers}; 0: dial only the bootnodes)." }, "targetPeers");
        Devnet = Flag(new Option<string?>("--devnet") { Description = "A devnet directory (mgr devnet generate) whose chain this node follows as a full node: it then holds every state and can seed." }, "devnet");
        Chain = new ChainOptions();
        Flag(Chain.Checkpoint, "checkpoint");
        Flag(Chain.CheckpointFile, "checkpointFile");
        Flag(Chain.CheckpointUrl, "checkpointUrl");
        Flag(Chain.EnginePort, "engine:port");
        Flag(Chain.JwtSecretPath, "engine:jwtSecret");
        Flag(Chain.HeadersMemLimit, "headersMemLimit");
        Flag(Chain.Backfill, "backfill");
        Flag(Chain.Preverified, "preverified");
        OtlpEndpoint = Flag(new Option<string?>("--otlp-endpoint")
        {
            Description = "Export metrics over OTLP to this URL (off by default), e.g. http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318/v1/metrics (HTTP).",
        }, "otlp:endpoint");
        OtlpProtocol = Flag(new Option<string?>("--otlp-protocol") { Description = "grpc or http (http/protobuf); default: inferred from the URL." }, "otlp:protocol");
        OtlpInterval = Flag(new Option<string?>("--otlp-interval") { Description = "Time between metric exports, e.g. 10s (default), 500ms, 1m." }, "otlp:interval");
        Dashboard = Flag(new Option<string?>("--dashboard") { Description = "Serve the dashboard on this address, e.g. 127.0.0.1:8080 (loopback only unless --dashboard-allow-remote)." }, "dashboard:address");
        DashboardAllowRemote = Flag(new Option<bool>("--dashboard-allow-remote") { Description = "Allow a non-loopback --dashboard address (no authentication: anyone who reaches it sees peers and traffic)." }, "dashboard:allowRemote");
        LogLevel = Flag(new Option<string?>("--log-level") { Description = "trace, debug, information (default), warning, error, critical or none." }, "log:level");
        LogFormat = Flag(new Option<string?>("--log-format") { Description = "text (default) or json (one object per line)." }, "log:format");
    }

    public Option<string?> Config { get; }

    public Option<string?> DataDir { get; }

    public Option<string[]> Listen { get; }

    public Option<string[]> Bootnodes { get; }

    public Option<string?> Role { get; }

    public Option<string?> Network { get; }

    public Option<string?> Genesis { get; }

    public Option<string?> EpochLength { get; }

    public Option<string?> TargetPeers { get; }

    public Option<string?> Devnet { get; }

    public ChainOptions Chain { get; }

    public Option<string?> OtlpEndpoint { get; }

    public Option<string?> OtlpProtocol { get; }

    public Option<string?> OtlpInterval { get; }

    public Option<string?> Dashboard { get; }

    public Option<bool> DashboardAllowRemote { get; }

    public Option<string?> LogLevel { get; }

    public Option<string?> LogFormat { get; }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach ((Option option, _, _) in _flags) command.Options.Add(option);
    }

    /// <summary>Layers the config file, the MGR_* entries of <paramref name="environment"/> (pass
    /// <see cref="Environment.GetEnvironmentVariables()"/>) and the flags given, and validates the result.</summary>
    /// <exception cref="SettingsException">On a missing, unreadable or malformed file, an unknown file key, or a bad value.</exception>
    public NodeSettings Load(ParseResult parseResult, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(environment);
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var flagNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach ((Option option, string key, Func<ParseResult, IEnumerable<string>> values) in _flags)
        {
            if (parseResult.GetResult(option) is not OptionResult { Implicit: false }) continue;
            flagNames[key] = option.Name;
            bool list = ListKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
            int index = 0;
            foreach (string value in values(parseResult)) flags[list ? $"{key}:{index++}" : key] = value;
        }
        Dictionary<string, string?> variables = EnvironmentEntries(environment);
        string? configFile = flags.GetValueOrDefault("config") ?? variables.GetValueOrDefault("config");

        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrWhiteSpace(configFile)) builder.AddConfiguration(ReadFile(configFile));
        builder.AddInMemoryCollection(variables);
        builder.AddInMemoryCollection(flags);
        var layers = new SettingsLayers(builder.Build(), configFile, flagNames);
        return Read(layers, configFile);
    }

    private static NodeSettings Read(SettingsLayers layers, string? configFile)
    {
        IReadOnlyList<string> listen = layers.List("listen");
        if (listen.Count == 0) throw new SettingsException("no listen address: give --listen, MGR_LISTEN or \"listen\" in the config file");
        return new NodeSettings
        {
            ConfigFile = configFile,
            DataDir = layers.Scalar("datadir"),
            Listen = listen.Select(text => ParseMultiaddr(layers, "listen", text)).ToList(),
            Bootnodes = layers.List("bootnodes").Select(text => ParseMultiaddr(layers, "bootnodes", text)).ToList(),
            Role = ReadRole(layers),
            Network = layers.Scalar("network"),
            Genesis = layers.Scalar("genesis"),
            EpochLength = ReadEpochLength(layers),
            TargetPeers = ReadTargetPeers(layers),
            Devnet = layers.Scalar("devnet"),
            Chain = ReadChain(layers),
            Telemetry = ReadTelemetry(layers),
            Dashboard = ReadDashboard(layers),
            LogLevel = ReadLogLevel(layers),
            LogFormat = layers.Scalar("log:format")?.ToLowerInvariant() switch
            {
                null or "text" => Logging.LogFormat.Text,
                "json" => Logging.LogFormat.Json,
                var other => throw layers.Error("log:format", $"'{other}' is not text or json"),
            },
        };
    }

    private static Multiaddr ParseMultiaddr(SettingsLayers layers, string key, string text)
    {
        try
        {
            return Multiaddr.Parse(text);
        }
        catch (MultiaddrException e)
        {
            throw layers.Error(key, $"'{text}' is not a multiaddr: {e.Reason}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static ulong ReadEpochLength(SettingsLayers layers)
    {
        string? text = layers.Scalar("epochLength");
        if (text is null) return NodeSettings.DefaultEpochLength;
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong length) || length is < 1 or > NodeSettings.MaxEpochLength)
            throw layers.Error("epochLength", $"'{text}' is not a number of blocks in [1, {NodeSettings.MaxEpochLength}]");
        return length;
    }

    private static int ReadTargetPeers(SettingsLayers layers)
    {
        string? text = layers.Scalar("targetPeers");
        if (text is null) return NodeSettings.DefaultTargetPeers;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int peers) || peers > NodeSettings.MaxTargetPeers)
            throw layers.Error("targetPeers", $"'{text}' is not a number of peers in [0, {NodeSettings.MaxTargetPeers}]");
        return peers;
    }

    private static NodeRole ReadRole(SettingsLayers layers) => layers.Scalar("role")?.ToLowerInvariant() switch
    {
        null or "auto" => NodeRole.Auto,
        "seeder" => NodeRole.Seeder,
        "leecher" => NodeRole.Leecher,
        var other => throw layers.Error("role", $"'{other}' is not seeder, leecher or auto"),
    };

    private static ChainSettings ReadChain(SettingsLayers layers)
    {
        int port = EngineApiServerOptions.DefaultPort;
        if (layers.Scalar("engine:port") is { } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
            throw layers.Error("engine:port", $"'{portText}' is not a TCP port");
        string size = layers.Scalar("headersMemLimit") ?? "64MiB";
        long bytes;
        try
        {
            bytes = ChainOptions.ParseSize(size, "headers memory limit");
        }
        catch (CliInputException e)
        {
            throw layers.Error("headersMemLimit", e.Message, e);
        }
        string? backfillText = layers.Scalar("backfill");
        bool backfill = false;
        if (backfillText is not null && !bool.TryParse(backfillText, out backfill))
            throw layers.Error("backfill", $"'{backfillText}' is not true or false");
        if (layers.Scalar("preverified") is not null && !backfill) throw layers.Error("preverified", "is only used with backfill (--backfill)");
        return new ChainSettings(Checkpoint: layers.Scalar("checkpoint"), CheckpointFile: layers.Scalar("checkpointFile"),
            CheckpointUrl: layers.Scalar("checkpointUrl"), EnginePort: port, JwtSecretPath: layers.Scalar("engine:jwtSecret"),
            HeadersMemoryLimitBytes: bytes, Backfill: backfill, PreverifiedPath: layers.Scalar("preverified"));
    }

    private static TelemetrySettings? ReadTelemetry(SettingsLayers layers)
    {
        string? endpoint = layers.Scalar("otlp:endpoint");
        string? protocolText = layers.Scalar("otlp:protocol");
        string? intervalText = layers.Scalar("otlp:interval");
        if (endpoint is null)
        {
            if (protocolText is not null) throw layers.Error("otlp:protocol", "given without an OTLP endpoint (--otlp-endpoint)");
            if (intervalText is not null) throw layers.Error("otlp:interval", "given without an OTLP endpoint (--otlp-endpoint)");
            return null;
        }
        Telemetry.OtlpProtocol? protocol = protocolText?.ToLowerInvariant() switch
        {
            null => null,
            "grpc" => Telemetry.OtlpProtocol.Grpc,
            "http" or "http/protobuf" => Telemetry.OtlpProtocol.HttpProtobuf,
            var other => throw layers.Error("otlp:protocol", $"'{other}' is not grpc or http"),
        };
        TimeSpan? interval = intervalText is null ? null
            : TryParseDuration(intervalText, out TimeSpan parsed) && parsed > TimeSpan.Zero ? parsed
            : throw layers.Error("otlp:interval", $"'{intervalText}' is not a positive duration like 10s, 500ms or 1m");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? url))
            throw layers.Error("otlp:endpoint", $"'{endpoint}' is not an absolute URL like http://127.0.0.1:4317");
        try
        {
            return TelemetrySettings.Create(url, protocol, interval);
        }
        catch (ArgumentException e)
        {
            throw layers.Error("otlp:endpoint", e.Message.Split(" (Parameter", 2)[0], e);
        }
    }

    private static DashboardSettings? ReadDashboard(SettingsLayers layers)
    {
        string? allowText = layers.Scalar("dashboard:allowRemote");
        bool allowRemote = false;
        if (allowText is not null && !bool.TryParse(allowText, out allowRemote))
            throw layers.Error("dashboard:allowRemote", $"'{allowText}' is not true or false");
        if (layers.Scalar("dashboard:address") is not { } address) return null;
        try
        {
            return DashboardSettings.Parse(address, allowRemote);
        }
        catch (FormatException e)
        {
            throw layers.Error("dashboard:address", e.Message, e);
        }
    }

    private static LogLevel ReadLogLevel(SettingsLayers layers)
    {
        string? text = layers.Scalar("log:level");
        if (text is null) return Microsoft.Extensions.Logging.LogLevel.Information;
        return NodeLogging.TryParseLevel(text, out LogLevel level) ? level
            : throw layers.Error("log:level", $"'{text}' is not trace, debug, information, warning, error, critical or none");
    }

    /// <summary>"10s", "500ms", "2m", "1h" or a plain number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ReadOnlySpan<char> value = text.AsSpan().Trim();
        (double scale, int suffix) = value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (0.001, 2)
            : value.EndsWith('s') || value.EndsWith('S') ? (1, 1)
            : value.EndsWith('m') || value.EndsWith('M') ? (60, 1)
            : value.EndsWith('h') || value.EndsWith('H') ? (3600, 1)
            : (1, 0);
        duration = TimeSpan.Zero;
        if (!double.TryParse(value[..^suffix], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)) return false;
        double seconds = number * scale;
        if (!double.IsFinite(seconds) || seconds > TimeSpan.FromDays(1).TotalSeconds) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static IConfigurationRoot ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new SettingsException($"--config '{path}': no such file");
            if (info.Length > MaxConfigFileBytes) throw new SettingsException($"--config '{path}': {info.Length} bytes is more than the {MaxConfigFileBytes} accepted");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"--config '{path}': {e.Message}", e);
        }
        IConfigurationRoot file;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            file = new ConfigurationBuilder().AddJsonStream(stream).Build();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidDataException)
        {
            throw new SettingsException($"--config '{path}': not a JSON object of settings: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
        foreach ((string key, string? value) in file.AsEnumerable())
        {
            if (value is null) continue; // a section
            if (!IsKnown(key)) throw new SettingsException($"--config '{path}': unknown setting '{key}' (known: {string.Join(", ", KnownKeys.Skip(1))})");
        }
        return file;
    }

    private static bool IsKnown(string key)
    {
        int colon = key.LastIndexOf(':');
        bool indexed = colon > 0 && int.TryParse(key.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
        string name = indexed ? key[..colon] : key;
        return indexed ? ListKeys.Contains(name, StringComparer.OrdinalIgnoreCase) : KnownKeys.Skip(1).Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    // MGR_X__Y=v becomes key x:y; variables that name no known setting are ignored (other tools share the prefix).
    private static Dictionary<string, string?> EnvironmentEntries(IDictionary environment)
    {
        var entries = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string name || !name.StartsWith(SettingsLayers.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            string key = name[SettingsLayers.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            if (KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase) || IsKnown(key)) entries[key] = entry.Value as string;
        }
        return entries;
    }

    private Option<T> Flag<T>(Option<T> option, string key)
    {
        _flags.Add((option, key, parseResult => Strings(parseResult.GetValue(option))));
        return option;
    }

    private static string[] Strings<T>(T value) => value switch
    {
        null => [],
        string text => [text],
        string[] texts => texts,
        bool flag => [flag ? "true" : "false"],
        IFormattable number => [number.ToString(null, CultureInfo.InvariantCulture)],
        _ => [value.ToString() ?? ""],
    };
}
