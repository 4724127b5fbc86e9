using Xunit.Abstractions;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Swarm;

public sealed class SwarmEngineSimulationTests(ITestOutputHelper output)
{
    internal static TestState SmallState(int seed = 1) => new(seed, 10_000, [3_000, 400, 120, 30, 5]);

    internal static long StateBytes(InMemoryKeyValueStore store, EpochAnchor anchor)
    {
        var nodes = new TrieNodeStore(store);
        var producer = new ChunkProducer(nodes, anchor, EpochIndex.Build(nodes, anchor.StateRoot));
        long total = 0;
        foreach (ChunkId chunk in new KeyspacePartition(producer.Index.Depth).RideFrom(anchor.StartKey))
            total += producer.ProduceSplit(chunk).Sum(static data => (long)data.EncodedLength());
        foreach (ExternalStorage storage in producer.Index.External)
        foreach (ChunkId chunk in new KeyspacePartition(storage.Depth, storage.Account).RideFrom(default))
            total += producer.ProduceSplit(chunk).Sum(static data => (long)data.EncodedLength());
        return total;
    }

    [Fact]
    public void Every_leecher_syncs_a_static_epoch_and_verifies_the_root_from_its_store()
    {
        TestState state = SmallState();
        var harness = new SwarmHarness(state, leechers: 4);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        harness.Finalize(anchor);
        harness.Network.ConnectAll();

        Assert.True(harness.RunUntilSynced(harness.Leechers, state.Root, TimeSpan.FromMinutes(2)));

        long stateBytes = StateBytes(harness.SeederStore, anchor);
        foreach (SimulatedNode leecher in harness.Leechers)
        {
            StateVerification verification = StateRootVerifier.Verify(harness.Stores[leecher], state.Root);
            Assert.True(verification.IsValid, verification.Problem);
            Assert.Equal(state.AccountCount, verification.Accounts);
            Assert.True(leecher.Engine.Counters.DuplicateBytes <= stateBytes / 10, $"{leecher.Name} duplicates {leecher.Engine.Counters.DuplicateBytes} of {stateBytes}");
        }
        long seederEgress = harness.Seeder.Engine.Counters.BytesOutOf(MessageCode.StateData);
        output.WriteLine($"state {stateBytes} B, seeder StateData egress {seederEgress} B ({(double)seederEgress / stateBytes:F3}x), " +
                         $"max duplicate bytes per leecher {harness.Leechers.Max(static node => node.Engine.Counters.DuplicateBytes)}");
        Assert.True(seederEgress <= 2 * stateBytes, $"seeder sent {seederEgress} bytes of StateData for a {stateBytes}-byte state");
    }

    [Fact]
    public void At_a_new_epoch_held_chunks_are_rolled_forward_by_diffs_instead_of_downloaded_again()
    {
        TestState state = SmallState(2);
        long stateDataBefore = 0;
        SwarmHarness harness = SyncTwoEpochs(state, leechers: 3, betweenEpochs: synced =>
            stateDataBefore = synced.Leechers.Sum(static node => node.Engine.Counters.BytesInOf(MessageCode.StateData)));

        long stateDataAfter = harness.Leechers.Sum(static node => node.Engine.Counters.BytesInOf(MessageCode.StateData)) - stateDataBefore;
        foreach (SimulatedNode leecher in harness.Leechers)
        {
            StateVerification verification = StateRootVerifier.Verify(harness.Stores[leecher], state.Root);
            Assert.True(verification.IsValid, verification.Problem);
            Assert.True(leecher.Engine.Counters.ChunksRolledForward >= 16, $"{leecher.Name} rolled {leecher.Engine.Counters.ChunksRolledForward}");
        }
        Assert.True(stateDataAfter < stateDataBefore / 4, $"{stateDataAfter} bytes of StateData after the epoch change, {stateDataBefore} before");
    }

    [Fact]
    public void When_the_seeder_refuses_every_chunk_diff_held_chunks_are_pulled_whole_and_counted_as_heal_pulls()
    {
        TestState state = SmallState(5);
        SwarmHarness harness = SyncTwoEpochs(state, leechers: 2, betweenEpochs: synced => synced.Seeder.OutgoingFilter = static (_, message) =>
            message is ChunkDiff diff ? new Unavailable(diff.RequestId, UnavailableReason.UnknownEpoch) : message);

        foreach (SimulatedNode leecher in harness.Leechers)
        {
            Assert.True(StateRootVerifier.Verify(harness.Stores[leecher], state.Root).IsValid);
            Assert.Equal(0, leecher.Engine.Counters.ChunksRolledForward);
            Assert.True(leecher.Engine.Counters.HealPulls >= 16, $"{leecher.Name} heal pulls {leecher.Engine.Counters.HealPulls}");
        }
    }

    // Leechers sync epoch 1; then `betweenEpochs` runs, the state changes and they sync epoch 2.
    private static SwarmHarness SyncTwoEpochs(TestState state, int leechers, Action<SwarmHarness> betweenEpochs)
    {
        var harness = new SwarmHarness(state, leechers);
        harness.Finalize(SwarmHarness.Anchor(1, state.Root));
        harness.Network.ConnectAll();
        Assert.True(harness.RunUntilSynced(harness.Leechers, state.Root, TimeSpan.FromMinutes(1)));
        betweenEpochs(harness);
        state.Evolve(changedAccounts: 300, changedSlotsPerContract: 10);
        harness.Finalize(SwarmHarness.Anchor(2, state.Root));
        Assert.True(harness.RunUntilSynced(harness.Leechers, state.Root, harness.Network.Clock.Now + TimeSpan.FromMinutes(1)));
        return harness;
    }

    [Fact]
    public void Honest_leechers_complete_while_a_peer_forwards_corrupted_chunks_and_the_bad_peer_is_banned()
    {
        TestState state = SmallState(4);
        var harness = new SwarmHarness(state, leechers: 3);
        SimulatedNode bad = harness.AddLeecher("bad");
        bad.OutgoingFilter = static (_, message) => message is StateData { Chunk.IsStorage: false, Accounts.Count: > 1 } data ? SwarmEngineRuleTests.Corrupt(data) : null;
        harness.Finalize(SwarmHarness.Anchor(1, state.Root));
        harness.Network.ConnectAll();

        List<SimulatedNode> honest = [.. harness.Leechers.Where(node => node != bad)];
        Assert.True(harness.RunUntilSynced(honest, state.Root, TimeSpan.FromMinutes(2)));

        foreach (SimulatedNode leecher in honest)
            Assert.True(StateRootVerifier.Verify(harness.Stores[leecher], state.Root).IsValid);
        Assert.True(honest.Sum(static node => node.Engine.Counters.ChunksRejected) > 0);
        Assert.Contains(honest, node => node.Engine.Scores.IsBanned(bad.Handle));
    }

    [Fact]
    public void A_late_joiner_and_a_leecher_that_leaves_and_comes_back_both_complete()
    {
        TestState state = SmallState(5);
        var harness = new SwarmHarness(state, leechers: 3, uploadBytesPerSecond: 4 * 1024 * 1024);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        harness.Finalize(anchor);
        harness.Network.ConnectAll();
        SimulatedNode leaver = harness.Leechers[0];
        harness.Network.RunUntil(() => leaver.Engine.HeldAccounts.Coverage > 0.2, TimeSpan.FromMinutes(1));
        Assert.False(leaver.Engine.IsSynced);
        harness.Network.SetOnline(leaver, false);
        harness.Network.RunUntil(() => false, harness.Network.Clock.Now + TimeSpan.FromSeconds(1));

        SimulatedNode late = harness.AddLeecher("late");
        late.Engine.OnEpochFinalized(anchor);
        harness.Network.SetOnline(leaver, true);
        harness.Network.ConnectAll();

        Assert.True(harness.RunUntilSynced(harness.Leechers, state.Root, harness.Network.Clock.Now + TimeSpan.FromMinutes(2)));
        foreach (SimulatedNode leecher in harness.Leechers)
            Assert.True(StateRootVerifier.Verify(harness.Stores[leecher], state.Root).IsValid, leecher.Name);
    }
}
