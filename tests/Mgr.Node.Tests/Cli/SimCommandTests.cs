using System.Text.Json;
using Xunit;

namespace Mgr.Node.Tests.Cli;

public sealed class SimCommandTests
{
    [Fact]
    public void Json_output_carries_the_documented_fields_with_rates_in_bytes_per_second()
    {
        CliRun run = InProcessMgr.Run("sim", "--nodes", "4", "--accounts", "500", "--state-mb", "2", "--upload-mbps", "8", "--download-mbps", "16", "--json");

        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Stdout);
        JsonElement root = document.RootElement;
        Assert.Equal("swarm", root.GetProperty("mode").GetString());
        Assert.Equal(4, root.GetProperty("nodes").GetInt32());
        Assert.Equal(1, root.GetProperty("seeders").GetInt32());
        Assert.Equal(2_000_000, root.GetProperty("stateBytes").GetInt64());
        Assert.Equal(1_000_000, root.GetProperty("seederUploadBps").GetInt64());
        Assert.Equal(1_000_000, root.GetProperty("peerUploadBps").GetInt64());
        Assert.Equal(2_000_000, root.GetProperty("peerDownloadBps").GetInt64());
        Assert.Equal(2.0, root.GetProperty("lowerBoundSeconds").GetDouble(), 3);
        Assert.True(root.GetProperty("completionSeconds").GetProperty("max").GetDouble() >= 2.0);
        Assert.True(root.GetProperty("seederEgressBytes").GetInt64() >= 2_000_000);
        Assert.True(root.GetProperty("duplicateBytes").GetInt64() >= 0);
    }

    [Fact]
    public void A_progress_line_says_virtual_time_against_the_bound_synced_leechers_and_coverage()
    {
        var progress = new Mgr.Node.Simulation.SimulationProgress(812.04, 20_459.5, 312, 999, 0.4567, 4_200_000);

        string line = Mgr.Node.Cli.SimCommand.ProgressLine(1000, progress, TimeSpan.FromSeconds(95.4));

        Assert.Equal("mgr sim: 1000 nodes, 812.0 s virtual (bound 20459.5 s), 312/999 synced, mean coverage 45.7%, 4200000 events, 95 s wall", line);
    }

    [Fact]
    public void An_unknown_mode_is_bad_input()
    {
        CliRun run = InProcessMgr.Run("sim", "--mode", "torrent");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--mode", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }
}
