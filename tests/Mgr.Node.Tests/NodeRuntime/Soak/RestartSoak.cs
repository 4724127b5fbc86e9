using System.Diagnostics;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>The crash-restart soak (issue 11): the devnet producer in this process (<see cref="NodeSwarm"/>), a seeder and
/// one leecher as real child <c>mgr node</c> processes; the leecher is SIGKILLed at the moments of a <see cref="KillPlan"/>
/// and restarted on the same datadir and ports each time, then left to sync. The chain is static: three blocks are
/// produced before the leecher starts (finalizing the epoch at block 16), then the producer only re-announces the head
/// every second, as a consensus client does each slot, so no pivot move happens and every byte after the first copy of
/// the state is a re-download.</summary>
/// <remarks>Bytes are counted at the seeder, the leecher's only peer, from its status document: what it sent from one
/// reading to the next (each taken right after a kill) is everything that run can have received, including the tail
/// still in flight when it died (an upper bound on the leecher's own count, which is lost with the process). One copy
/// of the state is what a fresh leecher syncing without interruption from the same seeder afterwards reports received,
/// less its duplicates (it can get some: the ride pushes a chunk once per <c>RepushAfter</c>, and a leecher idle for
/// <c>SeederPullAfterIdle</c> pulls what it lacks meanwhile). Peak RSS is each process's
/// VmHWM: the leecher's read just before each kill, the seeder's once at the end (it runs throughout).</remarks>
internal sealed class RestartSoak(RestartSoakSettings settings, Action<string> log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    public async Task<RestartSoakReport> RunAsync()
    {
        await using var swarm = new NodeSwarm(settings.Devnet);
        string genesis = swarm.Devnet.GenesisPath, secret = swarm.SecretPath;
        await using NodeChild seeder = NodeChild.Seeder(swarm.NodeDirectory("seeder"), NodePorts.Take(fixedP2p: true), genesis, secret, NodeSwarm.EpochLength,
            swarm.Devnet.Root);
        swarm.AddEngine(seeder.EngineAddress);
        seeder.Start();
        string bootnode = await ListenAddressAsync(seeder);
        await using NodeChild leecher = NodeChild.Leecher(swarm.NodeDirectory("leecher"), NodePorts.Take(fixedP2p: false), genesis, secret,
            NodeSwarm.EpochLength, bootnode);
        await using NodeChild reference = NodeChild.Leecher(swarm.NodeDirectory("reference"), NodePorts.Take(fixedP2p: false), genesis, secret,
            NodeSwarm.EpochLength, bootnode);
        swarm.AddEngine(leecher.EngineAddress);
        swarm.AddEngine(reference.EngineAddress);
        for (int block = 0; block < 3; block++) await swarm.Producer.ProduceAsync(CancellationToken.None);
        BlockHeader boundary = swarm.FinalizedBoundary();
        long stateBytes = swarm.StateBytes();
        log($"devnet ready: head {swarm.Producer.Chain.Head.Number}, epoch block {boundary.Number}, state {stateBytes:N0} B; seeder {bootnode}");

        using var stopAnnouncing = new CancellationTokenSource();
        Task announcing = Task.Run(() => AnnounceAsync(swarm, stopAnnouncing.Token));
        try
        {
            await SeederServingAsync(seeder);
            var runs = new List<SoakRun>();
            SoakRun? previous = null;
            SoakStatus sent = await SeederStatusAsync(seeder);
            foreach (KillTarget target in KillPlan.Make(settings.Kills, settings.Seed))
            {
                (SoakRun run, sent) = await RunAsync(leecher, seeder, sent, target, runs.Count + 1, previous);
                runs.Add(run);
                previous = run;
                log($"run {run.Number}: aimed at {target.Phase}{(target.Phase == KillPhase.Ride ? $" ≥{target.MinCoverage:P0}" : "")}, killed in {run.Phase} " +
                    $"at {run.Coverage:P1} (resumed {run.ResumedCoverage:P1}), seeder sent {run.SeederStateBytes:N0} B, {run.Seconds:F1} s");
            }
            (SoakRun last, sent) = await RunAsync(leecher, seeder, sent, target: null, runs.Count + 1, previous);
            runs.Add(last);
            log($"last run: {last.Phase}, seeder sent {last.SeederStateBytes:N0} B, {last.Seconds:F1} s");

            (ulong storeBlock, Hash256 expected, string? problem) = VerifyStore(swarm, leecher.StorePath, boundary);
            ReferenceSync referenceSync = await SyncOnceAsync(reference, seeder, sent);
            return new RestartSoakReport
            {
                Settings = settings, Runs = runs, StateBytes = stateBytes, EpochBlock = boundary.Number, FinalSynced = last.Phase == KillPhase.Synced,
                StoreBlock = storeBlock, ExpectedRoot = expected, RootProblem = problem, Reference = referenceSync,
                SeederPeakResidentBytes = seeder.PeakResidentBytes(),
            };
        }
        finally
        {
            await stopAnnouncing.CancelAsync();
            await announcing;
            Keep(seeder, leecher, reference);
        }
    }

    // One run: start, poll until the target is reached (or, without a target, until synced), wait the target's delay,
    // then SIGKILL (or, for the last run, stop cleanly).
    private async Task<(SoakRun Run, SoakStatus Sent)> RunAsync(NodeChild leecher, NodeChild seeder, SoakStatus sentBefore, KillTarget? target, int number,
        SoakRun? previous)
    {
        var clock = Stopwatch.StartNew();
        leecher.Start();
        SoakStatus? last = null;
        double? resumed = null;
        TimeSpan? reachedAt = null;
        while (reachedAt is not { } at || clock.Elapsed - at < (target?.Delay ?? TimeSpan.Zero))
        {
            if (leecher.HasExited)
                throw new SoakException($"run {number} exited by itself with code {leecher.ExitCode}: {leecher.Tail()} (log {leecher.LogPath})");
            if (clock.Elapsed > settings.RunLimit)
                throw new SoakException($"run {number} did not reach {target?.Phase.ToString() ?? "synced"} within {settings.RunLimit.TotalSeconds:F0} s; " +
                                        $"last status: {last?.Phase.ToString() ?? "none"} at {last?.Coverage:P1} (resumed {resumed:P1}; previous run ended at " +
                                        $"{previous?.Phase.ToString() ?? "-"} {previous?.Coverage:P1}); log {leecher.LogPath}");
            if (await leecher.PollAsync() is { } status)
            {
                last = status;
                if (status.Epoch is not null && !status.Synced && resumed is null)
                {
                    resumed = status.Coverage;
                    log($"run {number}: took up epoch {status.Epoch} at {resumed:P1} after {clock.Elapsed.TotalSeconds:F1} s");
                }
                if (target?.IsReachedBy(status, resumed ?? 0) ?? status.Synced) reachedAt ??= clock.Elapsed;
            }
            await Task.Delay(PollInterval);
        }
        long? peak = leecher.PeakResidentBytes();
        if (target is null) await leecher.StopAsync();
        else await leecher.KillAsync();
        SoakStatus sentAfter = await SeederStatusAsync(seeder);
        SoakStatus final = last ?? throw new InvalidOperationException("a run reached its target without a status");
        var run = new SoakRun(number, target, final.Phase, final.Coverage, resumed, sentAfter.StatePayloadOut - sentBefore.StatePayloadOut,
            sentAfter.StateDataOut - sentBefore.StateDataOut, final.StateDataIn, peak, final.MaxPeerPenalty, clock.Elapsed.TotalSeconds);
        return (run, sentAfter);
    }

    private async Task<ReferenceSync> SyncOnceAsync(NodeChild reference, NodeChild seeder, SoakStatus sentBefore)
    {
        var clock = Stopwatch.StartNew();
        reference.Start();
        SoakStatus? status;
        while ((status = await reference.PollAsync()) is not { Synced: true })
        {
            if (reference.HasExited) throw new SoakException($"the reference leecher exited with code {reference.ExitCode}: {reference.Tail()}");
            if (clock.Elapsed > settings.RunLimit) throw new SoakException($"the reference leecher did not sync within {settings.RunLimit.TotalSeconds:F0} s");
            await Task.Delay(PollInterval);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        long? peak = reference.PeakResidentBytes();
        await reference.StopAsync();
        SoakStatus sentAfter = await SeederStatusAsync(seeder);
        var sync = new ReferenceSync(sentAfter.StatePayloadOut - sentBefore.StatePayloadOut, sentAfter.StateDataOut - sentBefore.StateDataOut,
            status.StatePayloadIn - status.DuplicateBytes, seconds, peak);
        log($"reference: one uninterrupted sync took {seconds:F1} s, seeder sent {sync.StateBytes:N0} B, {sync.UniqueStateBytes:N0} B of it not held before");
        return sync;
    }

    // The seeder's first listen address, printed on stdout once it listens.
    private async Task<string> ListenAddressAsync(NodeChild seeder)
    {
        var clock = Stopwatch.StartNew();
        while (seeder.ListenAddress is null)
        {
            if (seeder.HasExited) throw new SoakException($"the seeder exited with code {seeder.ExitCode}: {seeder.Tail()} (log {seeder.LogPath})");
            if (clock.Elapsed > settings.RunLimit) throw new SoakException($"the seeder printed no listen address within {settings.RunLimit.TotalSeconds:F0} s");
            await Task.Delay(PollInterval);
        }
        return seeder.ListenAddress;
    }

    // Waits until the seeder serves an epoch, so that the first run is not spent waiting for it.
    private async Task SeederServingAsync(NodeChild seeder)
    {
        var clock = Stopwatch.StartNew();
        while ((await SeederStatusAsync(seeder)).Epoch is null)
        {
            if (clock.Elapsed > settings.RunLimit) throw new SoakException($"the seeder served no epoch within {settings.RunLimit.TotalSeconds:F0} s (log {seeder.LogPath})");
            await Task.Delay(PollInterval);
        }
    }

    // A seeder status taken at least SettleTime from now: the seeder publishes a snapshot every 500 ms, and what it still
    // sends to a leecher just killed fails within a moment. The seeder runs throughout: a status it does not give within
    // a few seconds means it died or hangs.
    private static async Task<SoakStatus> SeederStatusAsync(NodeChild seeder)
    {
        DateTimeOffset notBefore = DateTimeOffset.UtcNow + SettleTime;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            if (seeder.HasExited) throw new SoakException($"the seeder exited with code {seeder.ExitCode}: {seeder.Tail()} (log {seeder.LogPath})");
            if (await seeder.PollAsync() is { } status && status.TakenAt >= notBefore) return status;
            await Task.Delay(PollInterval);
        }
        throw new SoakException($"the seeder gave no status within {50 * PollInterval.TotalSeconds:F0} s (log {seeder.LogPath})");
    }

    // The store after the last run stopped: the root it rebuilds must be the devnet's at the block its state-block marker
    // names (a leecher that synced follows the chain), else at the epoch block.
    private static (ulong Block, Hash256 Expected, string? Problem) VerifyStore(NodeSwarm swarm, string storePath, BlockHeader boundary)
    {
        using RocksDbStore store = RocksDbStore.Open(storePath);
        ulong block = StateBlockStore.TryRead(store, out StateBlock marker) ? marker.Number : boundary.Number;
        Hash256 expected = swarm.RootAt(block);
        StateVerification verification = StateRootVerifier.Verify(store, expected);
        return (block, expected, verification.IsValid ? null : verification.Problem ?? $"store root {verification.ComputedRoot}");
    }

    // The consensus client's slot loop: the head is re-announced every second to every engine (a restarted leecher
    // learns the chain from it).
    private static async Task AnnounceAsync(NodeSwarm swarm, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await swarm.Producer.AnnounceAsync(cancellation);
                await Task.Delay(1000, cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Keep(params NodeChild[] children)
    {
        if (settings.KeepDirectory is not { } keep) return;
        foreach (NodeChild child in children)
        {
            string target = Path.Combine(keep, Path.GetFileName(child.DataDir));
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(child.DataDir, "*.log")) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
