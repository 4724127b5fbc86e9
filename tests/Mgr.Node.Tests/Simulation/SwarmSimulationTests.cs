using System.Text;
using System.Text.Json;
using Mgr.Node.Simulation;
using Xunit;

namespace Mgr.Node.Tests.Simulation;

public sealed class SwarmSimulationTests
{
    // 8,300 accounts select chunk depth 1: 16 account chunks to swarm.
    private static readonly SimulationSettings Small = new()
    {
        Nodes = 11, Seeders = 1, StateBytes = 8_000_000, SeederUploadBytesPerSecond = 2_000_000, PeerUploadBytesPerSecond = 2_000_000,
        PeerDownloadBytesPerSecond = 8_000_000, Latency = TimeSpan.FromMilliseconds(20), Accounts = 8_300, Seed = 3, Degree = 4,
    };

    [Fact]
    public void Ten_leechers_each_complete_with_a_verified_state()
    {
        SimulationResult result = SwarmSimulation.Run(Small);

        Assert.True(result.Completed);
        Assert.Equal(16, result.State.ChunkCount);
        Assert.All(result.Leechers, leecher => Assert.NotNull(leecher.CompletionSeconds));
        Assert.True(result.MaxCompletionSeconds >= result.LowerBoundSeconds);
        Assert.True(result.SeederUploadShare < 1, "leechers uploaded part of the state to each other");
    }

    [Fact]
    public void Progress_is_reported_at_each_coverage_sample_moving_forward()
    {
        var reports = new List<SimulationProgress>();

        SimulationResult result = SwarmSimulation.Run(Small with { Nodes = 6 }, reports.Add);

        Assert.True(result.Completed);
        Assert.Equal(result.Coverage.Count - 1, reports.Count); // all but the final sample, taken once the run ended
        Assert.All(reports, report =>
        {
            Assert.Equal(5, report.Leechers);
            Assert.Equal(result.LowerBoundSeconds, report.BoundSeconds);
            Assert.InRange(report.MeanCoverage, 0, 1);
            Assert.True(report.Events <= result.EventsProcessed);
        });
        Assert.All(reports.Zip(reports.Skip(1)), pair =>
        {
            Assert.True(pair.Second.VirtualSeconds > pair.First.VirtualSeconds);
            Assert.True(pair.Second.Events > pair.First.Events);
            Assert.True(pair.Second.Synced >= pair.First.Synced);
        });
        Assert.True(reports[^1].MeanCoverage > reports[0].MeanCoverage);
    }

    [Fact]
    public void Leechers_short_of_their_target_of_sessions_dial_more_leechers_and_seeders_are_not_topped_up()
    {
        SimulationSettings settings = Small with { Nodes = 41, Degree = 2, TargetPeers = 7, TimeLimit = TimeSpan.FromSeconds(0.5) };

        SimulationResult topped = SwarmSimulation.Run(settings);
        SimulationResult plain = SwarmSimulation.Run(settings with { TargetPeers = 0 });

        Assert.All(topped.Leechers, leecher => Assert.InRange(leecher.Sessions, 7, 40));
        Assert.Contains(plain.Leechers, leecher => leecher.Sessions < 7);
        Assert.Equal(plain.Nodes.Single(static node => node.IsSeeder).Sessions, topped.Nodes.Single(static node => node.IsSeeder).Sessions);
    }

    [Fact]
    public void Client_server_costs_the_seeder_about_one_copy_per_leecher()
    {
        SimulationResult result = SwarmSimulation.Run(Small with { Nodes = 6, Accounts = 2_000, Mode = SimulationMode.ClientServer });

        double copies = (double)result.SeederEgressBytes / result.Settings.StateBytes;
        Assert.True(result.Completed);
        Assert.InRange(copies, 5 * 0.95, 5 * 1.3);
        Assert.True(result.MaxCompletionSeconds >= result.ClientServerBoundSeconds);
    }

    [Fact]
    public void The_same_seed_gives_the_same_json()
    {
        SimulationSettings settings = Small with { Nodes = 6, Accounts = 8_300, Churn = 0.4 };

        string first = Json(SwarmSimulation.Run(settings));
        string second = Json(SwarmSimulation.Run(settings));

        Assert.Equal(first, second);
        Assert.Contains("\"completionSeconds\"", first, StringComparison.Ordinal);
    }

    private static string Json(SimulationResult result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) SimulationJson.Write(writer, result);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
