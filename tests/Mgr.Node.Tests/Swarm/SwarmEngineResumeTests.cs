using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Swarm;

/// <summary>A leecher restarted over the store it left behind (a crash, an upgrade) resumes from what it holds.</summary>
public sealed class SwarmEngineResumeTests
{
    [Fact]
    public void A_restarted_leecher_takes_back_its_held_chunks_and_storage_and_downloads_only_the_rest()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(7);
        var harness = new SwarmHarness(state, leechers: 1, uploadBytesPerSecond: 256 * 1024);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        harness.Finalize(anchor);
        harness.Network.ConnectAll();
        SimulatedNode first = harness.Leechers[0];
        InMemoryKeyValueStore store = harness.Stores[first];
        harness.Network.RunUntil(() => first.Engine.HeldAccounts.Coverage >= 0.5 && first.Engine.Progress().StorageAccounts > 0, TimeSpan.FromMinutes(1));
        double heldBefore = first.Engine.HeldAccounts.Coverage;
        long receivedBefore = first.Engine.Counters.BytesInOf(MessageCode.StateData);
        harness.Network.SetOnline(first, false);
        harness.Leechers.Remove(first);

        SimulatedNode restarted = harness.AddLeecher("restarted", existing: store);
        restarted.Engine.OnEpochFinalized(anchor);
        harness.Network.ConnectAll();

        Assert.Equal(heldBefore, restarted.Engine.Counters.ResumedCoverage, precision: 9);
        Assert.Equal(heldBefore, restarted.Engine.HeldAccounts.Coverage, precision: 9);
        Assert.True(harness.RunUntilSynced([restarted], state.Root, harness.Network.Clock.Now + TimeSpan.FromMinutes(2)));
        Assert.True(StateRootVerifier.Verify(store, state.Root).IsValid);
        long stateBytes = SwarmEngineSimulationTests.StateBytes(harness.SeederStore, anchor);
        long receivedAfter = restarted.Engine.Counters.BytesInOf(MessageCode.StateData);
        Assert.True(receivedBefore > stateBytes / 3, $"the first run received only {receivedBefore} of {stateBytes} bytes");
        Assert.True(receivedAfter <= stateBytes - receivedBefore + stateBytes / 20,
            $"after the restart {receivedAfter} bytes of StateData came again; {receivedBefore} of {stateBytes} were held; " +
            $"duplicates {restarted.Engine.Counters.DuplicateBytes}, verified {restarted.Engine.Counters.ChunksVerified}, pulls {restarted.Engine.Counters.PullRequests}, resumed {restarted.Engine.Counters.ResumedCoverage}, storage {restarted.Engine.Progress()}");
    }

    [Fact]
    public void Ranges_held_at_an_older_recorded_root_are_rolled_forward_after_a_restart()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(8);
        var harness = new SwarmHarness(state, leechers: 1);
        harness.Finalize(SwarmHarness.Anchor(1, state.Root));
        harness.Network.ConnectAll();
        SimulatedNode first = harness.Leechers[0];
        InMemoryKeyValueStore store = harness.Stores[first];
        Assert.True(harness.RunUntilSynced([first], state.Root, TimeSpan.FromMinutes(1)));
        harness.Network.SetOnline(first, false);
        harness.Leechers.Remove(first);

        state.Evolve(changedAccounts: 100, changedSlotsPerContract: 10);
        harness.Finalize(SwarmHarness.Anchor(2, state.Root));
        SimulatedNode restarted = harness.AddLeecher("restarted", existing: store);
        restarted.Engine.OnEpochFinalized(SwarmHarness.Anchor(2, state.Root));
        harness.Network.ConnectAll();

        Assert.True(harness.RunUntilSynced([restarted], state.Root, harness.Network.Clock.Now + TimeSpan.FromMinutes(1)));
        Assert.True(StateRootVerifier.Verify(store, state.Root).IsValid);
        Assert.True(restarted.Engine.Counters.ChunksRolledForward >= 16, $"rolled {restarted.Engine.Counters.ChunksRolledForward}");
        long stateBytes = SwarmEngineSimulationTests.StateBytes(harness.SeederStore, SwarmHarness.Anchor(2, state.Root));
        Assert.True(restarted.Engine.Counters.BytesInOf(MessageCode.StateData) < stateBytes / 4);
    }
}
