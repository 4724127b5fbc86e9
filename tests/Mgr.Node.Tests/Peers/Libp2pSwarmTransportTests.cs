using Xunit.Abstractions;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Peers;

public sealed class Libp2pSwarmTransportTests(ITestOutputHelper output)
{
    private sealed class TcpNode : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _tasks = [];

        public TcpNode(SwarmOptions options, InMemoryKeyValueStore store)
        {
            Store = store;
            Host = new Libp2pHost(Ed25519IdentityKey.Generate());
            Address = Host.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")).WithPeerId(Host.PeerId);
            var loop = new SwarmLoop();
            Transport = new Libp2pSwarmTransport(Host, loop);
            Engine = new SwarmEngine(options, store, Transport, new SystemClock());
            Transport.Attach(Engine);
            Loop = loop;
            _tasks.Add(loop.RunAsync(Engine.OnTick, TimeSpan.FromMilliseconds(20), _stop.Token));
        }

        public InMemoryKeyValueStore Store { get; }

        public Libp2pHost Host { get; }

        public Multiaddr Address { get; }

        public SwarmLoop Loop { get; }

        public Libp2pSwarmTransport Transport { get; }

        public SwarmEngine Engine { get; }

        public void Dial(Multiaddr address) => _tasks.Add(Transport.RunOutboundAsync(address, _stop.Token));

        public Task<T> OnLoopAsync<T>(Func<SwarmEngine, T> check)
        {
            var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Loop.Post(() => result.SetResult(check(Engine)));
            return result.Task;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Host.DisposeAsync();
            try
            {
                await Task.WhenAll(_tasks);
            }
            catch (Exception error) when (error is OperationCanceledException or HostException or IOException)
            {
                // Sessions end with the host.
            }
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task One_seeder_and_three_leechers_sync_over_real_tcp_and_verify_the_root()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(6);
        var options = new SwarmOptions { GenesisHash = SwarmHarness.Genesis, NetworkId = 7 };
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        var seederStore = new InMemoryKeyValueStore();
        state.CopyTo(seederStore);
        List<TcpNode> nodes = [new TcpNode(options with { Role = Role.Seeder }, seederStore)];
        try
        {
            for (int i = 0; i < 3; i++) nodes.Add(new TcpNode(options, new InMemoryKeyValueStore()));
            for (int i = 1; i < nodes.Count; i++)
            for (int j = 0; j < i; j++)
                nodes[i].Dial(nodes[j].Address);
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                int[] peers = await Task.WhenAll(nodes.Select(node => node.OnLoopAsync(static engine => engine.ActivePeerCount)));
                if (peers.All(count => count == nodes.Count - 1)) break;
                await Task.Delay(20);
            }
            // The epoch finalizes once the swarm is formed, as in the simulated tests: the figure measured is the
            // seeder's egress for leechers that are all present during the ride.
            foreach (TcpNode node in nodes) node.Loop.Post(() => node.Engine.OnEpochFinalized(anchor));

            while (DateTime.UtcNow < deadline)
            {
                bool[] synced = await Task.WhenAll(nodes.Skip(1).Select(node => node.OnLoopAsync(static engine => engine.IsSynced)));
                if (synced.All(static value => value)) break;
                await Task.Delay(100);
            }

            foreach (TcpNode leecher in nodes.Skip(1))
            {
                Assert.True(await leecher.OnLoopAsync(static engine => engine.IsSynced));
                StateVerification verification = StateRootVerifier.Verify(leecher.Store, state.Root);
                Assert.True(verification.IsValid, verification.Problem);
            }
            long stateBytes = SwarmEngineSimulationTests.StateBytes(seederStore, anchor);
            long egress = nodes[0].Engine.Counters.BytesOutOf(MessageCode.StateData);
            output.WriteLine($"state {stateBytes} B, seeder StateData egress {egress} B ({(double)egress / stateBytes:F3}x), " +
                             $"duplicate bytes per leecher: {string.Join(", ", nodes.Skip(1).Select(static node => node.Engine.Counters.DuplicateBytes))}");
            Assert.True(egress <= 2 * stateBytes, $"seeder egress {egress} for a {stateBytes}-byte state");
        }
        finally
        {
            foreach (TcpNode node in nodes) await node.DisposeAsync();
        }
    }
}
