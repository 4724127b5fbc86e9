using Mgr.Node.Configuration;
using Mgr.Node.Devnet;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.NodeRuntime;

/// <summary>A seeder and five leechers as whole nodes over real TCP on 127.0.0.1, on a devnet of 50,000 accounts with
/// contracts of up to 12,000 slots and code, while the producer adds a block a second (an epoch every 16) that changes
/// the state: every leecher must end with the latest finalized epoch's root, rebuilt from its own store.</summary>
public sealed class SwarmOverTcpTests(ITestOutputHelper output)
{
    private static readonly DevnetParameters Devnet = new() { Accounts = 50_000, Contracts = 6, MaxSlots = 12_000, Seed = 11 };

    [Fact]
    public async Task Five_leechers_sync_a_moving_devnet_and_the_seeder_uploads_at_most_two_copies_of_the_state()
    {
        await using var swarm = new NodeSwarm(Devnet);
        MgrNode seeder = await swarm.StartAsync("seeder", NodeRole.Seeder);
        var leechers = new Dictionary<string, MgrNode>();
        for (int i = 1; i <= 5; i++) leechers[$"leecher-{i}"] = await swarm.StartAsync($"leecher-{i}", NodeRole.Leecher);

        for (int block = 0; block < 20; block++)
        {
            await swarm.Producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(1000);
        }
        BlockHeader boundary = swarm.FinalizedBoundary();
        bool synced = await swarm.AnnounceUntilAsync(() => AllSynced(leechers.Values, boundary), TimeSpan.FromMinutes(3));

        long stateBytes = swarm.StateBytes();
        long seederState = NodeSwarm.StateEgress(seeder.Swarm.Engine.Counters);
        long[] duplicates = [.. leechers.Values.Select(static node => node.Swarm.Engine.Counters.DuplicateBytes)];
        output.WriteLine($"state {stateBytes} B; seeder state egress {seederState} B = {(double)seederState / stateBytes:F2}x; " +
                         $"duplicate bytes per leecher {string.Join(", ", duplicates)} (max {(double)duplicates.Max() / stateBytes:P1} of the state)");
        await swarm.StopAllAsync();

        Assert.True(synced, $"not every leecher synced to epoch block {boundary.Number}");
        AssertStoresVerify(swarm, leechers.Keys, boundary);
        Assert.True(seederState <= 2 * stateBytes, $"the seeder uploaded {seederState} bytes of state for a {stateBytes}-byte state");
        Assert.All(duplicates, duplicate => Assert.True(duplicate <= stateBytes / 10, $"{duplicate} duplicate bytes of {stateBytes}"));
    }

    [Fact]
    public async Task A_late_joiner_and_a_leecher_that_leaves_and_comes_back_complete_and_a_corrupting_peer_is_banned()
    {
        await using var swarm = new NodeSwarm(Devnet with { Seed = 12 });
        // The corrupting peer is the only seeder until a leecher has banned it (two failed proofs); the honest seeder
        // joins after that, so the ban does not hang on how many chunks the bad peer gets to send before it.
        MgrNode bad = await swarm.StartAsync("bad", NodeRole.Seeder,
            static message => message is StateData { Chunk.IsStorage: false, Accounts.Count: > 1 } data ? SwarmEngineRuleTests.Corrupt(data) : null);
        var leechers = new Dictionary<string, MgrNode>();
        for (int i = 1; i <= 4; i++) leechers[$"leecher-{i}"] = await swarm.StartAsync($"leecher-{i}", NodeRole.Leecher);
        for (int block = 0; BanningCount(leechers.Values, bad) == 0; block++)
        {
            Assert.True(block < 60, "no leecher banned the corrupting peer while it was the only seeder");
            await swarm.Producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(1000);
        }
        MgrNode seeder = await swarm.StartAsync("seeder", NodeRole.Seeder);

        // leecher-2 leaves once it holds a fifth of the state, leecher-5 joins, then leecher-2 comes back on its store.
        int phase = 0;
        while (phase < 3 || swarm.Producer.Chain.Head.Number < 36)
        {
            await swarm.Producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(1000);
            if (phase == 0 && leechers["leecher-2"].Status.Snapshot().Coverage.Coverage > 0.2)
            {
                await swarm.StopAsync("leecher-2");
                phase = 1;
            }
            else if (phase == 1)
            {
                leechers["leecher-5"] = await swarm.StartAsync("leecher-5", NodeRole.Leecher);
                phase = 2;
            }
            else if (phase == 2)
            {
                leechers["leecher-2"] = await swarm.StartAsync("leecher-2", NodeRole.Leecher);
                phase = 3;
            }
            Assert.True(swarm.Producer.Chain.Head.Number < 200, "leecher-2 never reached a fifth of the state");
        }
        BlockHeader boundary = swarm.FinalizedBoundary();
        bool synced = await swarm.AnnounceUntilAsync(() => AllSynced(leechers.Values, boundary), TimeSpan.FromMinutes(3));

        int rejecting = leechers.Values.Count(static node => node.Swarm.Engine.Counters.ChunksRejected > 0);
        int banning = BanningCount(leechers.Values, bad);
        long stateBytes = swarm.StateBytes();
        long seederState = NodeSwarm.StateEgress(seeder.Swarm.Engine.Counters);
        output.WriteLine($"state {stateBytes} B; seeder state egress {seederState} B = {(double)seederState / stateBytes:F2}x; " +
                         $"leechers that rejected the bad peer's chunks: {rejecting}, banned it: {banning}; " +
                         $"leecher-2 resumed {leechers["leecher-2"].Swarm.Engine.Counters.ResumedCoverage:P0} of the accounts");
        await swarm.StopAllAsync();

        Assert.True(synced, $"not every leecher synced to epoch block {boundary.Number}");
        AssertStoresVerify(swarm, leechers.Keys, boundary);
        Assert.True(rejecting > 0, "no honest leecher rejected a corrupted chunk");
        Assert.True(banning > 0, "no honest leecher banned the peer that corrupts chunks");
    }

    [Fact]
    public async Task A_synced_leecher_follows_the_chain_by_state_diffs_and_seeds_later_epochs_without_downloading_them()
    {
        await using var swarm = new NodeSwarm(Devnet with { Accounts = 5_000, MaxSlots = 2_000, Seed = 13 });
        (MgrNode leecher, BlockHeader first) = await SeederAndSyncedLeecherAsync(swarm);
        SwarmCounters counters = leecher.Swarm.Engine.Counters;
        long chunkBytes = counters.BytesInOf(MessageCode.StateData) + counters.BytesInOf(MessageCode.ChunkDiff);

        for (int block = 0; block < 2 * (int)NodeSwarm.EpochLength; block++)
        {
            await swarm.Producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(300);
        }
        BlockHeader later = swarm.FinalizedBoundary();
        bool seeding = await swarm.AnnounceUntilAsync(() => AllSynced([leecher], later), TimeSpan.FromMinutes(2));
        long chunkBytesAfter = counters.BytesInOf(MessageCode.StateData) + counters.BytesInOf(MessageCode.ChunkDiff);
        long diffBytes = counters.BytesInOf(MessageCode.StateDiff);
        output.WriteLine($"epoch blocks {first.Number} → {later.Number}; chunk bytes {chunkBytes} → {chunkBytesAfter}; state-diff bytes {diffBytes}");
        await swarm.StopAllAsync();

        Assert.True(later.Number > first.Number, "no later epoch was finalized");
        Assert.True(seeding, $"the leecher does not serve epoch block {later.Number}");
        Assert.Equal(chunkBytes, chunkBytesAfter);
        Assert.True(diffBytes > 0, "no state diff was fetched");
        using RocksDbStore store = swarm.OpenStore("leecher");
        Assert.True(Mgr.Node.Storage.StateBlockStore.TryRead(store, out Mgr.Node.Storage.StateBlock state));
        Assert.True(state.Number >= later.Number, $"the followed state is at block {state.Number}");
        StateVerification verification = StateRootVerifier.Verify(store, state.StateRoot);
        Assert.True(verification.IsValid, verification.Problem);
    }

    [Fact]
    public async Task A_leecher_killed_after_it_began_following_but_before_its_pipeline_recorded_the_verification_downloads_no_state_again()
    {
        await using var swarm = new NodeSwarm(Devnet with { Accounts = 5_000, MaxSlots = 2_000, Seed = 14 });
        (MgrNode leecher, BlockHeader boundary) = await SeederAndSyncedLeecherAsync(swarm);
        await swarm.StopAsync("leecher");
        // The crash window: follow mode's batch (marker written, sync progress forgotten) is in the store, the pipeline's
        // Verify and Serve stages are still in progress.
        using (RocksDbStore store = swarm.OpenStore("leecher"))
        {
            Assert.Empty(Mgr.Node.Storage.SyncProgressStore.ReadAll(store));
            using Mgr.Node.Storage.IWriteBatch batch = store.BeginBatch();
            foreach (Mgr.Node.Stages.StageId stage in new[] { Mgr.Node.Stages.StageId.Verify, Mgr.Node.Stages.StageId.Serve })
                Mgr.Node.Stages.StageCheckpoints.Save(batch, stage, new Mgr.Node.Stages.StageCheckpoint(0, new byte[Mgr.Node.Stages.SwarmStage.CursorLength]));
            batch.Commit();
        }

        leecher = await swarm.StartAsync("leecher", NodeRole.Leecher);
        bool synced = await swarm.AnnounceUntilAsync(() => AllSynced([leecher], boundary), TimeSpan.FromMinutes(2));
        SwarmCounters counters = leecher.Swarm.Engine.Counters;
        long stateBytes = counters.BytesInOf(MessageCode.StateData) + counters.BytesInOf(MessageCode.ChunkDiff);
        await swarm.StopAllAsync();

        Assert.True(synced, "the restarted leecher did not serve the epoch again");
        Assert.Equal(0, stateBytes);
    }

    // Starts a seeder and a leecher ("leecher"), produces four blocks and waits for the leecher to sync the finalized epoch.
    private static async Task<(MgrNode Leecher, BlockHeader Boundary)> SeederAndSyncedLeecherAsync(NodeSwarm swarm)
    {
        await swarm.StartAsync("seeder", NodeRole.Seeder);
        MgrNode leecher = await swarm.StartAsync("leecher", NodeRole.Leecher);
        for (int block = 0; block < 4; block++)
        {
            await swarm.Producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(500);
        }
        BlockHeader boundary = swarm.FinalizedBoundary();
        Assert.True(await swarm.AnnounceUntilAsync(() => AllSynced([leecher], boundary), TimeSpan.FromMinutes(2)), "the leecher did not sync the first epoch");
        return (leecher, boundary);
    }

    // Leechers whose bans (kept in their stores, so a restarted leecher's count too) hold the bad peer.
    private static int BanningCount(IEnumerable<MgrNode> leechers, MgrNode bad) =>
        leechers.Count(node => node.Swarm.Bans.IsBanned(bad.Swarm.Host.PeerId));

    private static bool AllSynced(IEnumerable<MgrNode> leechers, BlockHeader boundary) =>
        leechers.All(node => node.Status.Snapshot() is { Synced: true } status && status.StateRoot == boundary.StateRoot);

    private static void AssertStoresVerify(NodeSwarm swarm, IEnumerable<string> names, BlockHeader boundary)
    {
        foreach (string name in names)
        {
            using RocksDbStore store = swarm.OpenStore(name);
            // A leecher that synced follows the chain by state diffs: its store then holds a later finalized block's state.
            Mgr.Trie.Primitives.Hash256 root = Mgr.Node.Storage.StateBlockStore.TryRead(store, out Mgr.Node.Storage.StateBlock followed)
                ? swarm.RootAt(followed.Number)
                : boundary.StateRoot;
            Assert.True(followed.Number == 0 || followed.Number >= boundary.Number, $"{name} holds block {followed.Number}, before epoch block {boundary.Number}");
            StateVerification verification = StateRootVerifier.Verify(store, root);
            Assert.True(verification.IsValid, $"{name}: {verification.Problem}");
        }
    }
}
