using Xunit.Abstractions;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;

namespace Mgr.Node.Tests.Swarm;

/// <summary>The swarm while the chain moves on: a new epoch (with a changed state) finalizes every few seconds while the
/// leechers are still syncing, as in the demo.</summary>
public sealed class SwarmEngineMovingChainTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 4)]
    [InlineData(3, 2)]
    public void Leechers_reach_a_verified_root_while_epochs_keep_finalizing(int seed, int secondsPerEpoch)
    {
        TestState state = SwarmEngineSimulationTests.SmallState(seed);
        var harness = new SwarmHarness(state, leechers: 4, uploadBytesPerSecond: 512 * 1024);
        ulong epoch = 1;
        harness.Finalize(SwarmHarness.Anchor(epoch, state.Root));
        harness.Network.ConnectAll();
        TimeSpan limit = TimeSpan.FromMinutes(4);

        bool synced = false;
        while (!synced && harness.Network.Clock.Now < limit)
        {
            TimeSpan next = harness.Network.Clock.Now + TimeSpan.FromSeconds(secondsPerEpoch);
            synced = harness.RunUntilSynced(harness.Leechers, state.Root, next);
            if (synced) break;
            state.Evolve(changedAccounts: 200, changedSlotsPerContract: 20);
            harness.Finalize(SwarmHarness.Anchor(++epoch, state.Root));
        }

        output.WriteLine($"synced at epoch {epoch} after {harness.Network.Clock.Now.TotalSeconds:F1} s (virtual)");
        foreach (SimulatedNode leecher in harness.Leechers)
            output.WriteLine($"{leecher.Name}: synced {leecher.Engine.IsSynced}, held {leecher.Engine.HeldAccounts.Coverage:P0}, {leecher.Engine.Progress()}");
        Assert.True(synced, $"not every leecher synced within {limit} while an epoch finalized every {secondsPerEpoch} s");
        foreach (SimulatedNode leecher in harness.Leechers)
        {
            StateVerification verification = StateRootVerifier.Verify(harness.Stores[leecher], state.Root);
            Assert.True(verification.IsValid, $"{leecher.Name}: {verification.Problem}");
        }
    }
}
