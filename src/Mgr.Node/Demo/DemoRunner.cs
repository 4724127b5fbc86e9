using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Demo;

/// <summary>Runs the local swarm demo (spec/cli.md, <c>mgr demo</c>): a devnet, a producer + beacon driver, one seeder
/// and N leechers, each a separate <c>mgr</c> process on 127.0.0.1 with its own directory, JWT secret file and log.
/// Waits until every leecher reports synced, stops everything, then checks each leecher's store itself
/// (<see cref="StateRootVerifier"/>) against the expected root read from the devnet store.</summary>
/// <remarks>Every child is stopped (SIGTERM, then a kill of its process tree) in a <c>finally</c>, whatever ends the
/// run: success, a failure, a timeout or cancellation (SIGINT/SIGTERM of the demo).</remarks>
public sealed class DemoRunner(DemoSettings settings, MgrExecutable executable, Action<string> log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ListenWait = TimeSpan.FromSeconds(60);

    /// <summary>The seeder first, then the leechers; filled once the run directory is laid out.</summary>
    public IReadOnlyList<DemoNode> Nodes { get; private set; } = [];

    public ProducerProgress Producer { get; } = new();

    /// <summary>Where this run's node directories and logs are.</summary>
    public string? RunDirectory { get; private set; }

    /// <summary>Runs the demo. <paramref name="startDisplay"/> is called once the nodes exist and returns the live
    /// display's task, which must end when its token is cancelled.</summary>
    public async Task<DemoResult> RunAsync(Func<DemoRunner, CancellationToken, Task>? startDisplay, CancellationToken cancellation)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(settings.WorkDirectory);
        log($"devnet: preparing {settings.DevnetKey} in {settings.WorkDirectory}");
        DevnetDirectory devnet = DemoDevnet.Prepare(settings, out bool generated);
        log($"devnet: {(generated ? "generated" : "reused")} {devnet.Root} ({clock.Elapsed.TotalSeconds:F1} s)");
        RunDirectory = Path.Combine(settings.WorkDirectory, "run-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId);
        Nodes = LayOut(RunDirectory, settings.Leechers);
        JwtSecret secret = JwtSecret.Generate();
        foreach (DemoNode node in Nodes)
        {
            Directory.CreateDirectory(node.DataDirectory);
            secret.Save(node.JwtSecretPath);
        }
        string producerDirectory = Path.Combine(RunDirectory, "producer");
        Directory.CreateDirectory(producerDirectory);
        string producerSecret = Path.Combine(producerDirectory, "jwt.hex");
        secret.Save(producerSecret);

        ChildProcess? producer = null;
        string? failure = null;
        using var displayStop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task display = Task.CompletedTask;
        try
        {
            failure = await StartNodesAsync(devnet, cancellation).ConfigureAwait(false);
            if (failure is null)
            {
                producer = ChildProcess.Start("producer", executable, ProducerArguments(devnet, producerSecret), Path.Combine(producerDirectory, "producer.log"),
                    Producer.OnStdoutLine);
                log($"producer: started (pid {producer.Id}), a block every {settings.SecondsPerBlock} s, finality lag {settings.FinalityLag}");
                if (startDisplay is not null) display = startDisplay(this, displayStop.Token);
                failure = await WaitForSyncAsync(producer, cancellation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            failure = "interrupted (SIGINT/SIGTERM)";
        }
        catch (Win32Exception e)
        {
            failure = $"cannot start {executable.FileName}: {e.Message}";
        }
        finally
        {
            await displayStop.CancelAsync().ConfigureAwait(false);
            await display.ConfigureAwait(false);
            await StopAllAsync(producer).ConfigureAwait(false);
        }

        DemoResult result = Conclude(devnet, failure, clock.Elapsed);
        if (result.Success && !settings.Keep) Directory.Delete(RunDirectory, recursive: true);
        else log($"logs and node directories kept in {RunDirectory}");
        return result;
    }

    private static List<DemoNode> LayOut(string runDirectory, int leechers)
    {
        IReadOnlyList<int> ports = FreePort.Take(3 * (leechers + 1));
        var nodes = new List<DemoNode>(leechers + 1);
        for (int i = 0; i <= leechers; i++)
        {
            string name = i == 0 ? "seeder" : $"leecher-{i}";
            nodes.Add(new DemoNode(name, i == 0 ? "seeder" : "leecher", Path.Combine(runDirectory, name), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        return nodes;
    }

    // Starts the seeder, then the leechers one by one, each dialling the seeder and every leecher started before it
    // (so the leechers form a mesh: chunks flow between them, not only from the seeder).
    private async Task<string?> StartNodesAsync(DevnetDirectory devnet, CancellationToken cancellation)
    {
        var bootnodes = new List<string>();
        foreach (DemoNode node in Nodes)
        {
            node.Process = ChildProcess.Start(node.Name, executable, NodeArguments(node, devnet, bootnodes), node.LogPath, node.OnStdoutLine);
            var wait = Stopwatch.StartNew();
            while (node.ListenAddress is null)
            {
                if (node.Process.HasExited) return await ExitedAsync(node, "before printing its listen address").ConfigureAwait(false);
                if (wait.Elapsed > ListenWait) return $"{node.Name} printed no listen address within {ListenWait.TotalSeconds:F0} s (log: {node.LogPath})";
                await Task.Delay(100, cancellation).ConfigureAwait(false);
            }
            log($"{node.Name}: listening on {node.ListenAddress} (pid {node.Process.Id})");
            bootnodes.Add(node.ListenAddress);
        }
        return null;
    }

    private async Task<string?> WaitForSyncAsync(ChildProcess producer, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2), MaxResponseContentBufferSize = NodeStatus.MaxDocumentBytes };
        var wait = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(PollInterval);
        string? lastProblem = null;
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
        {
            if (producer.HasExited)
            {
                await producer.DrainOutputAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                return $"the producer exited with code {producer.ExitCode}: {Tail(producer)} (log in {RunDirectory}/producer)";
            }
            foreach (DemoNode node in Nodes)
            {
                if (node.Process!.HasExited) return await ExitedAsync(node, "during the run").ConfigureAwait(false);
                lastProblem = await PollAsync(http, node, cancellation).ConfigureAwait(false) ?? lastProblem;
            }
            if (Nodes.Skip(1).All(n => n.Status?.Synced == true)) return null;
            if (wait.Elapsed > settings.Timeout)
            {
                int synced = Nodes.Skip(1).Count(n => n.Status?.Synced == true);
                return $"timeout: {synced} of {Nodes.Count - 1} leechers synced after {settings.Timeout.TotalSeconds:F0} s"
                    + (lastProblem is null ? "" : $"; last status problem: {lastProblem}");
            }
        }
        return "stopped";
    }

    private static async Task<string?> PollAsync(HttpClient http, DemoNode node, CancellationToken cancellation)
    {
        try
        {
            byte[] body = await http.GetByteArrayAsync(node.StatusUri, cancellation).ConfigureAwait(false);
            NodeStatus status = NodeStatus.Parse(body);
            node.Status = status;
            if (status.Synced && node.Role == "leecher" && node.TimeToSynced is null) node.TimeToSynced = DateTimeOffset.UtcNow - node.Process!.StartedAt;
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or DemoException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            // A node that is still starting has no endpoint yet; the timeout ends the wait if it never gets one.
            return $"{node.Name} {node.StatusUri}: {e.Message}";
        }
    }

    private async Task StopAllAsync(ChildProcess? producer)
    {
        var stops = new List<Task>();
        foreach (DemoNode node in Nodes)
            if (node.Process is { } process) stops.Add(Stop(process));
        if (producer is not null) stops.Add(Stop(producer));
        await Task.WhenAll(stops).ConfigureAwait(false);

        async Task Stop(ChildProcess process)
        {
            await using (process.ConfigureAwait(false))
            {
                int code = await process.StopAsync(StopGrace).ConfigureAwait(false);
                log($"{process.Name}: stopped (exit code {code})");
            }
        }
    }

    // After every child is gone: the expected root from the devnet store, each leecher's root from its own store.
    private DemoResult Conclude(DevnetDirectory devnet, string? failure, TimeSpan elapsed)
    {
        DemoNode seeder = Nodes[0];
        ulong expectedBlock;
        Hash256 expectedRoot;
        long stateBytes;
        using (RocksDbStore store = RocksDbStore.Open(devnet.StorePath))
        {
            BlockHeader head = StoredChain.ReadHead(store);
            // The epoch the seeder serves; before it reports one, the latest finalized epoch boundary.
            ulong finalized = head.Number > settings.FinalityLag ? head.Number - settings.FinalityLag : 0;
            expectedBlock = seeder.Status?.EpochBlock ?? finalized / settings.EpochLength * settings.EpochLength;
            BlockHeader? header = StoredChain.ReadCanonical(store, expectedBlock)
                ?? throw new DemoException($"the seeder's epoch block {expectedBlock} is not in the devnet (head {head.Number})");
            expectedRoot = header.StateRoot;
            stateBytes = DevnetGeneration.MeasureState(store).StateBytes;
        }
        var rows = new List<DemoNodeResult>(Nodes.Count);
        foreach (DemoNode node in Nodes)
        {
            NodeStatus? status = node.Status;
            Hash256? root = status?.StateRoot;
            bool verified = false;
            string? problem = null;
            (ulong, Hash256)? followed = null;
            if (node != seeder)
            {
                followed = FollowedStateBlock(node, devnet);
                (root, verified, string? storeProblem) = VerifyStore(node, followed?.Item2 ?? expectedRoot);
                problem = storeProblem ?? (status?.Synced == true ? null : "did not report synced");
            }
            rows.Add(new DemoNodeResult(node.Name, node.Role, root, verified, status?.Synced == true, node.TimeToSynced?.TotalSeconds,
                status?.BytesIn ?? 0, status?.BytesOut ?? 0, status?.DuplicateBytes, problem) { StateBlock = followed });
        }
        return new DemoResult(expectedRoot, expectedBlock, stateBytes, seeder.Status?.BytesOut ?? 0, rows, elapsed.TotalSeconds)
        {
            Failure = failure, SeederStateEgressBytes = seeder.Status?.StateBytesOut,
        };
    }

    // A leecher that follows the chain by state diffs after its sync holds a later block's state (its state-block
    // marker): that block's root in the devnet is what its store must rebuild.
    private static (ulong Number, Hash256 Root)? FollowedStateBlock(DemoNode node, DevnetDirectory devnet)
    {
        if (!Directory.Exists(node.StorePath)) return null;
        try
        {
            StateBlock marker;
            using (RocksDbStore store = RocksDbStore.Open(node.StorePath))
                if (!StateBlockStore.TryRead(store, out marker)) return null;
            using RocksDbStore chain = RocksDbStore.Open(devnet.StorePath);
            return StoredChain.ReadCanonical(chain, marker.Number) is { } header ? (marker.Number, header.StateRoot) : null;
        }
        catch (StorageException)
        {
            return null; // VerifyStore reports the store problem
        }
    }

    private static (Hash256? Root, bool Verified, string? Problem) VerifyStore(DemoNode node, Hash256 expectedRoot)
    {
        if (!Directory.Exists(node.StorePath)) return (null, false, $"no store at {node.StorePath}");
        try
        {
            using RocksDbStore store = RocksDbStore.Open(node.StorePath);
            StateVerification verification = StateRootVerifier.Verify(store, expectedRoot);
            if (verification.IsValid) return (verification.ComputedRoot, true, null);
            return verification.ComputedRoot.IsZero
                ? (null, false, verification.Problem ?? "state incomplete")
                : (verification.ComputedRoot, true, verification.Problem ?? $"store root {verification.ComputedRoot} is not the expected root");
        }
        catch (StorageException e)
        {
            return (null, false, $"store {node.StorePath}: {e.Message}");
        }
    }

    private List<string> NodeArguments(DemoNode node, DevnetDirectory devnet, IReadOnlyList<string> bootnodes)
    {
        List<string> arguments =
        [
            "node", "--role", node.Role, "--datadir", node.DataDirectory, "--listen", $"/ip4/127.0.0.1/tcp/{node.P2pPort}",
            "--engine-port", node.EnginePort.ToString(CultureInfo.InvariantCulture), "--jwt-secret", node.JwtSecretPath,
            "--dashboard", $"127.0.0.1:{node.DashboardPort}", "--network", "devnet", "--genesis", devnet.GenesisPath,
            "--epoch-length", settings.EpochLength.ToString(CultureInfo.InvariantCulture),
        ];
        if (node.Role == "seeder") arguments.AddRange(["--devnet", devnet.Root]);
        foreach (string bootnode in bootnodes) arguments.AddRange(["--bootnode", bootnode]);
        return arguments;
    }

    private List<string> ProducerArguments(DevnetDirectory devnet, string secretPath)
    {
        List<string> arguments =
        [
            "devnet", "produce", "--datadir", devnet.Root, "--jwt-secret", secretPath,
            "--seconds-per-block", settings.SecondsPerBlock.ToString(CultureInfo.InvariantCulture),
            "--finality-lag", settings.FinalityLag.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (DemoNode node in Nodes) arguments.AddRange(["--engine", $"http://127.0.0.1:{node.EnginePort}"]);
        return arguments;
    }

    // The exit can be seen before the last lines it wrote are read: those are the ones that say why.
    private static async Task<string> ExitedAsync(DemoNode node, string when)
    {
        await node.Process!.DrainOutputAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return $"{node.Name} exited with code {node.Process.ExitCode} {when}: {Tail(node.Process)} (log: {node.LogPath})";
    }

    private static string Tail(ChildProcess process)
    {
        IReadOnlyList<string> tail = process.Tail();
        return tail.Count == 0 ? "(no output)" : string.Join(" | ", tail.TakeLast(3).Select(l => l.Length > 300 ? l[..300] + "…" : l));
    }
}
