using System.CommandLine;
using Mgr.Node.Configuration;
using Mgr.Node.Logging;
using Mgr.Node.Telemetry;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Tests.Configuration;

public sealed class NodeOptionsTests : IDisposable
{
    private const string Listen = "/ip4/127.0.0.1/tcp/0";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("mgr-settings-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Flags_win_over_environment_variables_which_win_over_the_config_file()
    {
        string file = Write("""{ "datadir": "/from/file", "network": "file-net", "role": "seeder", "log": { "level": "debug" } }""");
        var environment = new Dictionary<string, string> { ["MGR_DATADIR"] = "/from/env", ["MGR_NETWORK"] = "env-net" };

        NodeSettings settings = Load(environment, "--config", file, "--listen", Listen, "--datadir", "/from/flag");

        Assert.Equal("/from/flag", settings.DataDir);
        Assert.Equal("env-net", settings.Network);
        Assert.Equal(NodeRole.Seeder, settings.Role);
        Assert.Equal(LogLevel.Debug, settings.LogLevel);
        Assert.Equal(file, settings.ConfigFile);
    }

    [Fact]
    public void Reads_nested_settings_from_variables_with_double_underscores()
    {
        var environment = new Dictionary<string, string>
        {
            ["MGR_LISTEN"] = Listen, ["MGR_OTLP__ENDPOINT"] = "http://127.0.0.1:4318", ["MGR_OTLP__INTERVAL"] = "500ms",
            ["MGR_DASHBOARD__ADDRESS"] = "127.0.0.1:8088", ["MGR_LOG__FORMAT"] = "json", ["MGR_ENGINE__PORT"] = "9551",
        };

        NodeSettings settings = Load(environment);

        Assert.Equal("http://127.0.0.1:4318/v1/metrics", settings.Telemetry!.Endpoint.ToString());
        Assert.Equal((OtlpProtocol.HttpProtobuf, TimeSpan.FromMilliseconds(500)), (settings.Telemetry.Protocol, settings.Telemetry.ExportInterval));
        Assert.Equal(8088, settings.Dashboard!.Endpoint.Port);
        Assert.Equal(LogFormat.Json, settings.LogFormat);
        Assert.Equal(9551, settings.Chain.EnginePort);
    }

    [Fact]
    public void A_list_from_a_higher_layer_replaces_the_lower_one_instead_of_merging()
    {
        string file = Write("""{ "listen": ["/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4002"], "bootnodes": ["/ip4/10.0.0.1/tcp/1"] }""");

        NodeSettings settings = Load([], "--config", file, "--listen", "/ip4/127.0.0.1/tcp/5000");

        Assert.Equal(["/ip4/127.0.0.1/tcp/5000"], settings.Listen.Select(a => a.ToString()));
        Assert.Equal(["/ip4/10.0.0.1/tcp/1"], settings.Bootnodes.Select(a => a.ToString()));
    }

    [Fact]
    public void Splits_a_comma_separated_list_variable()
    {
        NodeSettings settings = Load(new() { ["MGR_LISTEN"] = "/ip4/127.0.0.1/tcp/1, /ip6/::1/tcp/2" });

        Assert.Equal(["/ip4/127.0.0.1/tcp/1", "/ip6/::1/tcp/2"], settings.Listen.Select(a => a.ToString()));
    }

    [Fact]
    public void Takes_the_config_file_from_MGR_CONFIG()
    {
        string file = Write("""{ "listen": ["/ip4/127.0.0.1/tcp/0"], "genesis": "/g.json" }""");

        NodeSettings settings = Load(new() { ["MGR_CONFIG"] = file });

        Assert.Equal("/g.json", settings.Genesis);
    }

    [Fact]
    public void Defaults_leave_optional_features_off()
    {
        NodeSettings settings = Load([], "--listen", Listen);

        Assert.Null(settings.Telemetry);
        Assert.Null(settings.Dashboard);
        Assert.Null(settings.DataDir);
        Assert.Empty(settings.Bootnodes);
        Assert.Equal((NodeRole.Auto, LogLevel.Information, LogFormat.Text), (settings.Role, settings.LogLevel, settings.LogFormat));
        Assert.Equal((8551, 64L << 20, false), (settings.Chain.EnginePort, settings.Chain.HeadersMemoryLimitBytes, settings.Chain.Backfill));
    }

    [Fact]
    public void An_explicit_flag_equal_to_its_default_still_wins_over_the_environment()
    {
        NodeSettings settings = Load(new() { ["MGR_ENGINE__PORT"] = "9000" }, "--listen", Listen, "--engine-port", "8551");

        Assert.Equal(8551, settings.Chain.EnginePort);
    }

    [Fact]
    public void Names_the_variable_that_holds_a_bad_value()
    {
        SettingsException error = Fails(new() { ["MGR_ROLE"] = "boss" }, "--listen", Listen);

        Assert.Equal("MGR_ROLE: 'boss' is not seeder, leecher or auto", error.Message);
    }

    [Fact]
    public void Names_the_flag_that_holds_a_bad_value()
    {
        SettingsException error = Fails([], "--listen", Listen, "--log-level", "loud");

        Assert.StartsWith("--log-level: 'loud' is not trace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_config_file_key_that_holds_a_bad_multiaddr()
    {
        string file = Write("""{ "listen": ["/ip4/127.0.0.1/tcp/1", "/ip4/300.0.0.1/tcp/2"] }""");

        SettingsException error = Fails([], "--config", file);

        Assert.StartsWith($"config file '{file}' (listen): '/ip4/300.0.0.1/tcp/2' is not a multiaddr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unknown_key_in_the_config_file()
    {
        string file = Write("""{ "listen": ["/ip4/127.0.0.1/tcp/1"], "datadri": "/typo" }""");

        SettingsException error = Fails([], "--config", file);

        Assert.Contains("unknown setting 'datadri'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"listen\": ", "not a JSON object of settings")]
    [InlineData("[1, 2]", "not a JSON object of settings")]
    public void Rejects_a_config_file_that_is_not_a_json_object(string content, string expected)
    {
        string file = Write(content);

        SettingsException error = Fails([], "--config", file);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_missing_config_file()
    {
        SettingsException error = Fails([], "--config", Path.Combine(_folder.FullName, "absent.json"), "--listen", Listen);

        Assert.EndsWith("absent.json': no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requires_a_listen_address_from_some_layer()
    {
        SettingsException error = Fails([], "--datadir", "/x");

        Assert.StartsWith("no listen address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_non_loopback_dashboard_unless_allowed()
    {
        SettingsException error = Fails([], "--listen", Listen, "--dashboard", "0.0.0.0:8080");
        NodeSettings allowed = Load([], "--listen", Listen, "--dashboard", "0.0.0.0:8080", "--dashboard-allow-remote");

        Assert.StartsWith("--dashboard: '0.0.0.0:8080' is not a loopback address", error.Message, StringComparison.Ordinal);
        Assert.True(allowed.Dashboard!.IsRemote);
    }

    [Theory]
    [InlineData("--otlp-protocol", "grpc", "--otlp-protocol: given without an OTLP endpoint")]
    [InlineData("--otlp-interval", "1s", "--otlp-interval: given without an OTLP endpoint")]
    [InlineData("--otlp-endpoint", "collector:4317", "--otlp-endpoint: 'collector:4317' is not an http:// or https:// URL")]
    [InlineData("--headers-mem-limit", "lots", "--headers-mem-limit: headers memory limit 'lots' is not a size like 64MiB")]
    [InlineData("--engine-port", "70000", "--engine-port: '70000' is not a TCP port")]
    public void Rejects_malformed_values_with_the_reason(string flag, string value, string expected)
    {
        SettingsException error = Fails([], "--listen", Listen, flag, value);

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    public void Parses_durations_with_units(string text, int milliseconds)
    {
        Assert.True(NodeOptions.TryParseDuration(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("-1s")]
    [InlineData("9999999h")]
    public void Rejects_malformed_durations(string text)
    {
        Assert.False(NodeOptions.TryParseDuration(text, out _));
    }

    [Fact]
    public void Ignores_unrelated_MGR_variables()
    {
        NodeSettings settings = Load(new() { ["MGR_TEST_ARTIFACTS"] = "/tmp/x", ["MGR_LISTEN"] = Listen });

        Assert.Single(settings.Listen);
    }

    private static NodeSettings Load(Dictionary<string, string> environment, params string[] args)
    {
        var options = new NodeOptions();
        var command = new RootCommand("test");
        options.AddTo(command);
        ParseResult parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return options.Load(parsed, environment);
    }

    private static SettingsException Fails(Dictionary<string, string> environment, params string[] args)
        => Assert.Throws<SettingsException>(() => Load(environment, args));

    private string Write(string json)
    {
        string path = Path.Combine(_folder.FullName, $"settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
