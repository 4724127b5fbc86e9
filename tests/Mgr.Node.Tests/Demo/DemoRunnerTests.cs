using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

public sealed class DemoRunnerTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "mgr-demo-runner-" + Guid.NewGuid().ToString("N"));

    public DemoRunnerTests() => Directory.CreateDirectory(_work);

    [Fact]
    public async Task Runs_stand_in_nodes_to_a_verified_result_and_leaves_no_process_behind()
    {
        string standIn = StandInMgr.Write(_work);
        var settings = new DemoSettings
        {
            Accounts = 1500, Contracts = 2, Leechers = 2, SecondsPerBlock = 60, WorkDirectory = Path.Combine(_work, "w"), Timeout = TimeSpan.FromSeconds(60),
            Keep = true,
        };
        var log = new List<string>();
        var runner = new DemoRunner(settings, new MgrExecutable(standIn, []), line => { lock (log) log.Add(line); });

        DemoResult result = await runner.RunAsync(null, CancellationToken.None);

        Assert.True(result.Success, $"{result.Failure}; log: {string.Join(" / ", log)}");
        Assert.Equal(16UL, result.ExpectedBlock);
        Assert.Equal(3, result.Nodes.Count);
        Assert.All(result.Nodes.Where(n => n.Role == "leecher"), n =>
        {
            Assert.True(n.RootVerifiedInStore);
            Assert.Equal(result.ExpectedRoot, n.Root);
            Assert.NotNull(n.SecondsToSynced);
            Assert.Equal(0.0004, n.DuplicateRatio);
        });
        Assert.Equal(500_000, result.SeederEgressBytes);
        Assert.True(result.StateBytes > 0);
        Assert.Empty(ProcessTable.WithCommandLineContaining(settings.WorkDirectory));
        Assert.True(File.Exists(Path.Combine(runner.RunDirectory!, "leecher-2", "node.log")));
    }

    [Fact]
    public async Task Reports_a_timeout_as_a_failure_and_still_stops_every_child()
    {
        string standIn = StandInMgr.Write(_work);
        var settings = new DemoSettings
        {
            Accounts = 1500, Contracts = 2, Leechers = 1, SecondsPerBlock = 60, WorkDirectory = Path.Combine(_work, "w"), Timeout = TimeSpan.FromSeconds(1),
        };
        string script = File.ReadAllText(standIn).Replace("synced=${STAND_IN_SYNCED:-true}", "synced=false", StringComparison.Ordinal);
        File.WriteAllText(standIn, script);
        var runner = new DemoRunner(settings, new MgrExecutable(standIn, []), _ => { });

        DemoResult result = await runner.RunAsync(null, CancellationToken.None);

        Assert.False(result.Success);
        Assert.StartsWith("timeout: 0 of 1 leechers synced", result.Failure, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.WithCommandLineContaining(settings.WorkDirectory));
    }

    [Fact]
    public async Task Names_the_child_that_exited_and_its_last_words()
    {
        string fake = Path.Combine(_work, "broken-mgr.sh");
        File.WriteAllText(fake, "#!/usr/bin/env bash\nif [ \"$1\" = node ]; then echo 'no such flag: --role' >&2; exit 2; fi\nexec dotnet \"" + StandInMgr.MgrDll + "\" \"$@\"\n");
        StandInMgr.MakeExecutable(fake);
        var settings = new DemoSettings { Accounts = 1500, Contracts = 2, Leechers = 1, WorkDirectory = Path.Combine(_work, "w") };
        var runner = new DemoRunner(settings, new MgrExecutable(fake, []), _ => { });

        DemoResult result = await runner.RunAsync(null, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("seeder exited with code 2 before printing its listen address: no such flag: --role", result.Failure, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.WithCommandLineContaining(settings.WorkDirectory));
    }

    [Fact]
    public async Task Reports_an_executable_that_cannot_start_as_a_failure()
    {
        string notExecutable = Path.Combine(_work, "not-executable");
        File.WriteAllText(notExecutable, "plain text");
        var settings = new DemoSettings { Accounts = 1500, Contracts = 2, Leechers = 1, WorkDirectory = Path.Combine(_work, "w") };
        var runner = new DemoRunner(settings, new MgrExecutable(notExecutable, []), _ => { });

        DemoResult result = await runner.RunAsync(null, CancellationToken.None);

        Assert.False(result.Success);
        Assert.StartsWith($"cannot start {notExecutable}", result.Failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }
}
