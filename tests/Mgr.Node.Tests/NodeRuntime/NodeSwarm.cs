using Mgr.Node.Cli;
using Mgr.Node.Configuration;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Devnet;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Node.Tests.NodeRuntime;

/// <summary>Whole nodes (<see cref="MgrNode"/>: RocksDB, libp2p over real TCP on 127.0.0.1, Engine API, pipeline) in one
/// test process on a generated devnet, and the devnet producer that drives every node over the Engine API.</summary>
internal sealed class NodeSwarm : IAsyncDisposable
{
    public const ulong EpochLength = 16;
    private readonly TemporaryDirectory _work = new();
    private readonly List<(string Name, MgrNode Node, Task Run, CancellationTokenSource Stop)> _running = [];
    private readonly List<EngineApiClient> _engines = [];
    private readonly JwtSecret _secret = JwtSecret.Generate();
    private readonly string _secretPath;
    private readonly RocksDbStore _producerStore;

    public NodeSwarm(DevnetParameters parameters)
    {
        Devnet = new DevnetDirectory(Path.Combine(_work.Path, "devnet"));
        DevnetGeneration.Run(Devnet, parameters with { EpochLength = EpochLength }, blocks: 16);
        _secretPath = Path.Combine(_work.Path, "jwt.hex");
        _secret.Save(_secretPath);
        _producerStore = RocksDbStore.Open(Devnet.StorePath);
        Producer = DevnetProducer.Open(Devnet, _producerStore, _engines, new DevnetProducerOptions { FinalityLag = 2 }, TimeProvider.System);
    }

    public DevnetDirectory Devnet { get; }

    /// <summary>The JWT secret file every node and the producer share.</summary>
    public string SecretPath => _secretPath;

    /// <summary>The directory of node <paramref name="name"/> (what <see cref="StartAsync"/> uses as its datadir).</summary>
    public string NodeDirectory(string name) => Path.Combine(_work.Path, name);

    /// <summary>Tells the producer about a node run outside this process (e.g. a child <c>mgr node</c> on a fixed
    /// Engine API port): every later block and announcement goes to it too; while it is down the calls fail, which
    /// never stops production.</summary>
    public void AddEngine(Uri engineAddress) => _engines.Add(new EngineApiClient(engineAddress, new JwtIssuer(_secret, TimeProvider.System)));

    public DevnetProducer Producer { get; }

    /// <summary>Bootnodes for the next node: every node started so far.</summary>
    public List<Multiaddr> Bootnodes { get; } = [];

    /// <summary>Starts a node named <paramref name="name"/> (its directory is reused when it ran before) and tells the producer.</summary>
    public async Task<MgrNode> StartAsync(string name, NodeRole role, Func<IMessage, IMessage?>? outgoingFilter = null)
    {
        var settings = new NodeSettings
        {
            DataDir = NodeDirectory(name), Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = [.. Bootnodes], Role = role,
            Genesis = Devnet.GenesisPath, EpochLength = EpochLength, Devnet = role == NodeRole.Seeder ? Devnet.Root : null,
            Chain = new ChainSettings(null, null, null, EnginePort: 0, JwtSecretPath: _secretPath, HeadersMemoryLimitBytes: 16 << 20),
        };
        MgrNode node = await MgrNode.StartAsync(settings, NullLoggerFactory.Instance, CancellationToken.None, outgoingFilter);
        var stop = new CancellationTokenSource();
        _running.Add((name, node, node.RunAsync(stop.Token), stop));
        _engines.Add(new EngineApiClient(node.EngineAddress!, new JwtIssuer(_secret, TimeProvider.System)));
        if (!Bootnodes.Contains(node.Addresses[0])) Bootnodes.Add(node.Addresses[0]);
        return node;
    }

    /// <summary>Stops a node cleanly (SIGTERM-like); its store stays for a restart.</summary>
    public async Task StopAsync(string name)
    {
        (string Name, MgrNode Node, Task Run, CancellationTokenSource Stop) entry = _running.Single(r => r.Name == name);
        _running.Remove(entry);
        Bootnodes.Remove(entry.Node.Addresses[0]);
        await entry.Stop.CancelAsync();
        await entry.Run;
        await entry.Node.DisposeAsync();
        entry.Stop.Dispose();
    }

    public async Task StopAllAsync()
    {
        foreach (string name in _running.Select(static r => r.Name).ToList()) await StopAsync(name);
    }

    /// <summary>The finalized epoch boundary header of the producer's chain now.</summary>
    public BlockHeader FinalizedBoundary()
    {
        ulong finalized = Producer.Chain.Head.Number - 2;
        return StoredChain.ReadCanonical(_producerStore, finalized / EpochLength * EpochLength)!;
    }

    /// <summary>The devnet's state root at block <paramref name="number"/>.</summary>
    public Mgr.Trie.Primitives.Hash256 RootAt(ulong number) => StoredChain.ReadCanonical(_producerStore, number)!.StateRoot;

    /// <summary>Bytes of the head state (flat accounts, slots, code).</summary>
    public long StateBytes() => DevnetGeneration.MeasureState(_producerStore).StateBytes;

    /// <summary>Keeps announcing the unchanged head (as a consensus client does every slot) until <paramref name="done"/>
    /// holds or <paramref name="limit"/> passes.</summary>
    public async Task<bool> AnnounceUntilAsync(Func<bool> done, TimeSpan limit)
    {
        for (DateTime deadline = DateTime.UtcNow + limit; DateTime.UtcNow < deadline;)
        {
            if (done()) return true;
            await Producer.AnnounceAsync(CancellationToken.None);
            await Task.Delay(1000);
        }
        return done();
    }

    /// <summary>The store of node <paramref name="name"/> (after it stopped).</summary>
    public RocksDbStore OpenStore(string name) => RocksDbStore.Open(Path.Combine(NodeDirectory(name), "db"));

    /// <summary>State payload a node sent: chunks, chunk diffs, code.</summary>
    public static long StateEgress(SwarmCounters counters) =>
        counters.BytesOutOf(MessageCode.StateData) + counters.BytesOutOf(MessageCode.ChunkDiff) + counters.BytesOutOf(MessageCode.ByteCodes);

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        foreach (EngineApiClient engine in _engines) engine.Dispose();
        Producer.Dispose();
        _producerStore.Dispose();
        _work.Dispose();
    }
}
