using System.Text.Json;

namespace Mgr.Node.Tests.Demo;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "mgr-demo-cli-" + Guid.NewGuid().ToString("N"));

    public DemoCommandTests() => Directory.CreateDirectory(_work);

    // The whole demo with real nodes: needs `mgr node` to sync (roles, --devnet, Engine API, /api/status).
    [Fact]
    public async Task Syncs_every_leecher_of_a_small_devnet_to_the_expected_root()
    {
        using var demo = new MgrChild(["demo", "--json", "--accounts", "2000", "--contracts", "2", "--leechers", "2", "--seconds-per-block", "1",
            "--workdir", _work, "--timeout", "75"]);

        (int exitCode, string stdout, string stderr) = await demo.WaitAsync(TimeSpan.FromSeconds(110));

        Assert.Empty(ProcessTable.WithCommandLineContaining(_work));
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.True(exitCode == 0, $"exit {exitCode}: {root.GetProperty("failure")}; stderr: {stderr}");
        string expected = root.GetProperty("expectedRoot").GetString()!;
        Assert.True(root.GetProperty("seederEgressBytes").GetInt64() > 0);
        Assert.Equal(3, root.GetProperty("nodes").GetArrayLength());
        using var devnet = Mgr.Node.Storage.RocksDb.RocksDbStore.Open(Path.Combine(Directory.GetDirectories(_work, "devnet-*").Single(), "db"));
        foreach (JsonElement node in root.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("role").GetString() == "leecher"))
        {
            Assert.True(node.GetProperty("synced").GetBoolean());
            Assert.True(node.GetProperty("rootMatches").GetBoolean());
            Assert.True(node.GetProperty("rootVerifiedInStore").GetBoolean());
            Assert.True(node.GetProperty("bytesIn").GetInt64() > 0);
            // A leecher that went on following the chain holds a later block's state: its root must be the devnet's there.
            JsonElement stateBlock = node.GetProperty("stateBlock");
            string wanted = stateBlock.ValueKind == JsonValueKind.Null
                ? expected
                : Mgr.Node.Devnet.StoredChain.ReadCanonical(devnet, stateBlock.GetUInt64())!.StateRoot.ToString();
            Assert.Equal(wanted, node.GetProperty("root").GetString());
        }
    }

    [Fact]
    public async Task Sigterm_stops_every_child_and_reports_the_interruption()
    {
        string standIn = StandInMgr.Write(_work);
        string workdir = Path.Combine(_work, "w");
        using var demo = new MgrChild(["demo", "--json", "--accounts", "1500", "--contracts", "2", "--leechers", "2", "--seconds-per-block", "1",
            "--workdir", workdir, "--mgr", standIn, "--timeout", "120"], new Dictionary<string, string> { ["STAND_IN_SYNCED"] = "false" });
        // Every node serves its status: one python process per node (a launcher shim's forked subshells, which carry the
        // same command line, are not counted).
        for (int i = 0; i < 600 && ServingNodes(workdir) < 3; i++) await Task.Delay(100);
        Assert.True(ServingNodes(workdir) >= 3);

        demo.Terminate();
        (int exitCode, string stdout, _) = await demo.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(1, exitCode);
        Assert.Equal("interrupted (SIGINT/SIGTERM)", JsonDocument.Parse(stdout).RootElement.GetProperty("failure").GetString());
        Assert.Empty(ProcessTable.WithCommandLineContaining(workdir));
    }

    [Theory]
    [InlineData("--leechers", "0")]
    [InlineData("--seconds-per-block", "-1")]
    [InlineData("--timeout", "0")]
    [InlineData("--mgr", "/nonexistent/mgr")]
    public async Task Rejects_bad_arguments_with_exit_code_2_before_starting_anything(string option, string value)
    {
        using var demo = new MgrChild(["demo", "--workdir", _work, option, value]);

        (int exitCode, string stdout, string stderr) = await demo.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("mgr demo: ", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    private static int ServingNodes(string workdir) => ProcessTable.WithCommandLineContaining(workdir).Count(IsHttpServer);

    private static bool IsHttpServer(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").StartsWith("python", StringComparison.Ordinal)
                   && File.ReadAllText($"/proc/{pid}/cmdline").Contains("http.server", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }
}
