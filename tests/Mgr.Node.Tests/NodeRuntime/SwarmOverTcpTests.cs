using Mgr.Node.Cli;
using Mgr.Node.Configuration;
using Mgr.Node.Dashboard;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Devnet;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.NodeRuntime;

/// <summary>Whole nodes (<see cref="MgrNode"/>: RocksDB, libp2p over real TCP on 127.0.0.1, Engine API, pipeline)
/// driven by the devnet producer over the Engine API while the chain moves on: one seeder, five leechers — one joins
/// late, one leaves and comes back — and one peer that corrupts every chunk it sends.</summary>
public sealed class SwarmOverTcpTests(ITestOutputHelper output) : IDisposable
{
    private const ulong EpochLength = 16;
    private readonly TemporaryDirectory _work = new();
    private readonly List<(string Name, MgrNode Node, Task Run, CancellationTokenSource Stop)> _running = [];
    private readonly List<EngineApiClient> _engines = [];
    private JwtSecret _secret = JwtSecret.Generate();

    [Fact]
    public async Task Five_leechers_sync_a_moving_devnet_from_one_seeder_despite_a_corrupting_peer_with_little_seeder_egress()
    {
        var devnet = new DevnetDirectory(Path.Combine(_work.Path, "devnet"));
        DevnetGeneration.Run(devnet, new DevnetParameters { Accounts = 50_000, Contracts = 6, MaxSlots = 12_000, Seed = 11, EpochLength = EpochLength }, blocks: 16);
        string secretPath = Path.Combine(_work.Path, "jwt.hex");
        _secret = JwtSecret.Generate();
        _secret.Save(secretPath);
        using var producerStore = RocksDbStore.Open(devnet.StorePath);
        using var producer = DevnetProducer.Open(devnet, producerStore, _engines, new DevnetProducerOptions { FinalityLag = 2 }, TimeProvider.System);

        MgrNode seeder = await StartAsync("seeder", devnet, secretPath, NodeRole.Seeder, []);
        MgrNode bad = await StartAsync("bad", devnet, secretPath, NodeRole.Seeder, [],
            static message => message is StateData { Chunk.IsStorage: false, Accounts.Count: > 1 } data ? SwarmEngineRuleTests.Corrupt(data) : null);
        var bootnodes = new List<Multiaddr> { seeder.Addresses[0] };
        var leechers = new Dictionary<string, MgrNode>();
        for (int i = 1; i <= 4; i++)
        {
            string name = $"leecher-{i}";
            leechers[name] = await StartAsync(name, devnet, secretPath, NodeRole.Leecher, bootnodes);
            bootnodes.Add(leechers[name].Addresses[0]);
        }

        // The chain moves on (a block a second, an epoch every 8) while the leechers sync.
        bool leaverStopped = false, leaverBack = false, lateStarted = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            await producer.ProduceAsync(CancellationToken.None);
            await Task.Delay(1000);
            NodeStatusSnapshot leaver = leechers["leecher-2"].Status.Snapshot();
            if (!leaverStopped && leaver.Coverage.Coverage > 0.2)
            {
                await StopAsync("leecher-2");
                leaverStopped = true;
            }
            else if (leaverStopped && !leaverBack && !lateStarted)
            {
                leechers["leecher-5"] = await StartAsync("leecher-5", devnet, secretPath, NodeRole.Leecher, bootnodes);
                lateStarted = true;
            }
            else if (leaverStopped && !leaverBack)
            {
                leechers["leecher-2"] = await StartAsync("leecher-2", devnet, secretPath, NodeRole.Leecher, bootnodes);
                leaverBack = true;
            }
            if (producer.Chain.Head.Number >= 36 && leaverBack) break;
        }

        // The chain stops; every leecher must reach the state of the last finalized epoch.
        ulong finalized = producer.Chain.Head.Number - 2;
        BlockHeader boundary = StoredChain.ReadCanonical(producerStore, finalized / EpochLength * EpochLength)!;
        bool synced = false;
        for (DateTime limit = DateTime.UtcNow + TimeSpan.FromMinutes(3); !synced && DateTime.UtcNow < limit;)
        {
            await producer.AnnounceAsync(CancellationToken.None); // the consensus client keeps announcing the (unchanged) head every slot
            synced = await WaitAsync(() => leechers.Values.All(node => node.Status.Snapshot() is { Synced: true } s && s.StateRoot == boundary.StateRoot),
                TimeSpan.FromSeconds(1));
        }
        foreach ((string name, MgrNode node) in leechers) output.WriteLine($"{name}: {node.Status.Snapshot().Synced} {node.Status.Snapshot().StateRoot}");
        Assert.True(synced, $"not every leecher synced to epoch block {boundary.Number}");

        long stateBytes = DevnetGeneration.MeasureState(producerStore).StateBytes;
        long seederState = StateEgress(seeder.Swarm.Engine.Counters);
        long[] duplicates = [.. leechers.Values.Select(static node => node.Swarm.Engine.Counters.DuplicateBytes)];
        int rejecting = leechers.Values.Count(static node => node.Swarm.Engine.Counters.ChunksRejected > 0);
        int banning = 0;
        foreach (MgrNode node in leechers.Values)
            if (node.Swarm.Transport.HandleOf(bad.Swarm.Host.PeerId) is { } handle && await node.Swarm.ReadAsync(engine => engine.Scores.IsBanned(handle))) banning++;
        output.WriteLine($"state {stateBytes} B; seeder state egress {seederState} B = {(double)seederState / stateBytes:F2}x; " +
                         $"duplicates per leecher {string.Join(", ", duplicates)}; leechers that rejected the bad peer's chunks: {rejecting}, banned it: {banning}");
        foreach ((string name, MgrNode node) in leechers.Append(new("seeder", seeder)))
        {
            SwarmCounters c = node.Swarm.Engine.Counters;
            output.WriteLine($"{name}: in {string.Join(", ", Enum.GetValues<MessageCode>().Where(m => c.BytesInOf(m) > 0).Select(m => $"{m}={c.BytesInOf(m)}"))}; " +
                             $"out {string.Join(", ", Enum.GetValues<MessageCode>().Where(m => c.BytesOutOf(m) > 0).Select(m => $"{m}={c.BytesOutOf(m)}"))}; " +
                             $"verified {c.ChunksVerified} rolled {c.ChunksRolledForward} dup {c.ChunksDuplicate} pulls {c.PullRequests} pushed {c.ChunksPushed} forwarded {c.ChunksForwarded}");
        }
        foreach (PeerView view in await seeder.Swarm.ReadAsync(static engine => engine.PeerViews()))
            output.WriteLine($"seeder → {seeder.Swarm.Transport.PeerIdOf(view.Peer)?.ToString()[^6..]}: out {view.BytesOut} in {view.BytesIn}");
        foreach ((string name, MgrNode node) in leechers) output.WriteLine($"{name} = {node.Swarm.Host.PeerId.ToString()[^6..]}");
        await StopAllAsync();

        foreach (string name in leechers.Keys)
        {
            using var store = RocksDbStore.Open(Path.Combine(_work.Path, name, "db"));
            StateVerification verification = StateRootVerifier.Verify(store, boundary.StateRoot);
            Assert.True(verification.IsValid, $"{name}: {verification.Problem}");
        }
        Assert.True(rejecting > 0, "no honest leecher rejected a corrupted chunk");
        Assert.True(banning > 0, "no honest leecher banned the peer that corrupts chunks");
        Assert.True(seederState <= 2 * stateBytes, $"the seeder uploaded {seederState} bytes of state for a {stateBytes}-byte state");
        Assert.All(duplicates, duplicate => Assert.True(duplicate <= stateBytes / 10, $"{duplicate} duplicate bytes of {stateBytes}"));
    }

    private static long StateEgress(SwarmCounters counters) =>
        counters.BytesOutOf(MessageCode.StateData) + counters.BytesOutOf(MessageCode.ChunkDiff) + counters.BytesOutOf(MessageCode.ByteCodes);

    private async Task<MgrNode> StartAsync(string name, DevnetDirectory devnet, string secretPath, NodeRole role, IReadOnlyList<Multiaddr> bootnodes,
                                           Func<IMessage, IMessage?>? outgoingFilter = null)
    {
        var settings = new NodeSettings
        {
            DataDir = Path.Combine(_work.Path, name), Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = [.. bootnodes], Role = role,
            Genesis = devnet.GenesisPath, EpochLength = EpochLength, Devnet = role == NodeRole.Seeder ? devnet.Root : null,
            Chain = new ChainSettings(null, null, null, EnginePort: 0, JwtSecretPath: secretPath, HeadersMemoryLimitBytes: 16 << 20),
        };
        MgrNode node = await MgrNode.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None, outgoingFilter);
        var stop = new CancellationTokenSource();
        _running.Add((name, node, node.RunAsync(stop.Token), stop));
        _engines.Add(new EngineApiClient(node.EngineAddress!, new JwtIssuer(_secret, TimeProvider.System)));
        return node;
    }

    private async Task StopAsync(string name)
    {
        (string Name, MgrNode Node, Task Run, CancellationTokenSource Stop) entry = _running.Single(r => r.Name == name);
        _running.Remove(entry);
        await entry.Stop.CancelAsync();
        await entry.Run;
        await entry.Node.DisposeAsync();
        entry.Stop.Dispose();
    }

    private async Task StopAllAsync()
    {
        foreach (string name in _running.Select(static r => r.Name).ToList()) await StopAsync(name);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        DateTime deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(250);
        }
        return condition();
    }

    public void Dispose()
    {
        StopAllAsync().GetAwaiter().GetResult();
        foreach (EngineApiClient engine in _engines) engine.Dispose();
        _work.Dispose();
    }
}
