using Xunit.Abstractions;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

/// <summary>Issue 11: a swarm of 20 where 30 % of the peers misbehave in every way the spec forbids (one misbehaviour
/// each, <see cref="AdversaryScripts"/>), all over the simulator running the real engines.</summary>
public sealed class AdversarialSwarmTests(ITestOutputHelper output)
{
    private const int HonestLeechers = 13;

    [Fact]
    public void Honest_leechers_reach_the_verified_root_while_thirty_percent_of_peers_misbehave_and_bad_peers_are_banned()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(11);
        var oldState = new InMemoryKeyValueStore();
        state.CopyTo(oldState);
        Hash256 oldRoot = state.Root;
        Hash256 root = state.Evolve(changedAccounts: 200, changedSlotsPerContract: 10);
        var harness = new SwarmHarness(state, leechers: HonestLeechers, uploadBytesPerSecond: 2 * 1024 * 1024);
        EpochAnchor anchor = SwarmHarness.Anchor(1, root);
        harness.State.CopyTo(harness.SeederStore);
        List<SimulatedNode> honestLeechers = [.. harness.Leechers];
        List<SimulatedNode> honest = [harness.Seeder, .. honestLeechers];
        var scripts = new AdversaryScripts(harness, anchor, honest);
        List<Adversary> adversaries =
        [
            scripts.InvalidProofs("invalid-proofs"), scripts.StaleRoot("stale-root", oldState, oldRoot), scripts.LyingHaves("lying-haves"),
            scripts.Withholding("withholding"), scripts.Flooding("flooding"), scripts.ProtocolViolations("protocol-violations"),
        ];
        Assert.Equal(20, harness.Network.Nodes.Count);
        harness.Finalize(anchor);
        harness.Network.ConnectAll();
        var trackedIntervals = new MaxProbe();
        Probe(harness.Network, honest, trackedIntervals);

        bool synced = harness.RunUntilSynced(honestLeechers, root, TimeSpan.FromMinutes(5));
        // Let requests sent to the silent peer just before the end time out (and be penalized).
        harness.Network.RunUntil(static () => false, harness.Network.Clock.Now + harness.Options.RequestTimeout + TimeSpan.FromSeconds(1));

        Report(harness, honest, adversaries, trackedIntervals);
        Assert.True(synced, "honest leechers did not all sync");
        foreach (SimulatedNode leecher in honestLeechers)
        {
            StateVerification verification = StateRootVerifier.Verify(harness.Stores[leecher], root);
            Assert.True(verification.IsValid, $"{leecher.Name}: {verification.Problem}");
            Assert.Equal(state.AccountCount, verification.Accounts);
        }
        foreach (Adversary adversary in adversaries)
        {
            Assert.True(adversary.Acts.Count > 0, $"{adversary} never misbehaved");
            foreach ((PeerHandle target, int acts) in adversary.Acts)
            {
                SwarmEngine victim = harness.Network.Nodes[target.Id].Engine;
                string pair = $"{adversary} misbehaved {acts}x towards {harness.Network.Nodes[target.Id].Name}";
                Assert.True(victim.Scores.PenaltyCount(adversary.Handle) > 0, $"{pair}, unpenalized");
                // Lies and silence are minor violations (spec §7): a ban takes BanScore of them. Everything else bans
                // at the first (fatal) or second (serious) offence, or once a flood passes its budget.
                bool minor = adversary.Kind is AdversaryKind.LyingHaves or AdversaryKind.Withholding;
                if (!minor || acts > harness.Options.Penalties.BanScore)
                    Assert.True(victim.Scores.IsBanned(adversary.Handle), $"{pair}, not banned");
            }
        }
        Assert.InRange(trackedIntervals.Value, 1, RemotePeer.MaxTrackedIntervals);
        Assert.True(trackedIntervals.Value > RemotePeer.MaxTrackedIntervals / 2, $"the flood reached only {trackedIntervals.Value} tracked intervals; the cap was not exercised");
        foreach (SimulatedNode node in honest)
        {
            Assert.True(node.Engine.PeerStates.Count <= harness.Network.Nodes.Count - 1);
            Assert.True(node.MaxQueuedBytes <= harness.Options.MaxQueuedBytesPerPeer + Limits.MaxStateDataBytes,
                        $"{node.Name} queued {node.MaxQueuedBytes} bytes towards one peer");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_peer_that_keeps_announcing_chunks_it_then_refuses_or_never_sends_is_banned_and_the_leechers_complete(bool lies)
    {
        // Slow links (32 KiB/s) keep the honest leechers pulling for a minute, long enough for a minor offender (a lie,
        // or a request left to time out, is worth 1 of the 20 points of a ban) to be caught often enough; eight pulls
        // per peer make the silent one collect timeouts eight at a time. A 64 KiB back-pressure limit keeps the honest
        // seeder's answers (or its Busy) well inside the 10 s timeout on such a link.
        TestState state = SwarmEngineSimulationTests.SmallState(12);
        var options = new SwarmOptions
        {
            GenesisHash = SwarmHarness.Genesis, NetworkId = 7, MaxQueuedBytesPerPeer = 64 * 1024, MaxPullsPerPeer = 8, MaxPullsInFlight = 16,
        };
        var harness = new SwarmHarness(state, leechers: 2, options, uploadBytesPerSecond: 32 * 1024);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        List<SimulatedNode> honest = [harness.Seeder, .. harness.Leechers];
        var scripts = new AdversaryScripts(harness, anchor, honest);
        Adversary adversary = lies ? scripts.LyingHaves("liar") : scripts.Withholding("withholder");
        harness.Finalize(anchor);
        harness.Network.ConnectAll();

        bool synced = harness.RunUntilSynced(honest.Skip(1), state.Root, TimeSpan.FromMinutes(30));

        output.WriteLine($"virtual time {harness.Network.Clock.Now.TotalSeconds:F0} s; {adversary} acts: {string.Join(", ", adversary.Acts.Select(static pair => $"{pair.Key.Id}: {pair.Value}"))}");
        Assert.True(synced);
        foreach (SimulatedNode leecher in honest.Skip(1))
        {
            Assert.True(StateRootVerifier.Verify(harness.Stores[leecher], state.Root).IsValid);
            Assert.True(adversary.Acts.GetValueOrDefault(leecher.Handle) > harness.Options.Penalties.BanScore, $"{leecher.Name} was misled only {adversary.Acts.GetValueOrDefault(leecher.Handle)} times: the scenario is too short");
            Assert.True(leecher.Engine.Scores.IsBanned(adversary.Handle), $"{leecher.Name} did not ban {adversary}");
        }
    }

    // Samples, every 50 ms of virtual time, the largest have-set any honest engine keeps for any peer.
    private static void Probe(SimulatedNetwork network, IReadOnlyList<SimulatedNode> honest, MaxProbe probe)
    {
        void Sample()
        {
            foreach (SimulatedNode node in honest)
            foreach (RemotePeer peer in node.Engine.PeerStates)
                probe.Observe(peer.TrackedIntervals);
            network.Schedule(network.Clock.Now + TimeSpan.FromMilliseconds(50), Sample);
        }
        network.Schedule(network.Clock.Now, Sample);
    }

    private void Report(SwarmHarness harness, IReadOnlyList<SimulatedNode> honest, IReadOnlyList<Adversary> adversaries, MaxProbe trackedIntervals)
    {
        output.WriteLine($"virtual time {harness.Network.Clock.Now.TotalSeconds:F1} s, {harness.Network.EventsProcessed} events; largest have-set kept for a peer {trackedIntervals.Value} intervals");
        foreach (SimulatedNode node in honest)
            output.WriteLine($"  {node.Name,-10} synced {node.Engine.IsSynced,-5} rejected {node.Engine.Counters.ChunksRejected,3} penalties {node.Engine.Counters.PenaltiesGiven,4} max queued {node.MaxQueuedBytes,9} B");
        foreach (Adversary adversary in adversaries)
        {
            int banned = adversary.Acts.Keys.Count(target => harness.Network.Nodes[target.Id].Engine.Scores.IsBanned(adversary.Handle));
            output.WriteLine($"  {adversary,-40} misbehaved towards {adversary.Acts.Count,2} honest peers ({adversary.Acts.Values.Sum(),5} acts), banned by {banned}");
        }
    }

    private sealed class MaxProbe
    {
        public int Value { get; private set; }

        public void Observe(int value) => Value = Math.Max(Value, value);
    }
}
