using System.Net;
using Mgr.Node.Chain;
using Mgr.Node.Cli;
using Mgr.Node.Configuration;
using Mgr.Node.Dashboard;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.Headers;
using Mgr.Node.Progress;
using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Telemetry;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;
using Mgr.Trie.Genesis;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.NodeRuntime;

/// <summary>The running <c>mgr node</c> on a chain: its RocksDB store, the swarm (libp2p host, MGR sessions, engine),
/// the Engine API its consensus driver talks to, and the chain side — a <see cref="LeecherPipeline"/> that syncs
/// headers and state, or, for a seeder, a <see cref="DevnetSeeder"/> that follows a devnet as a full node — plus the
/// status publisher behind the dashboard, the progress display and the optional OTLP export.</summary>
/// <remarks>Start with <see cref="StartAsync"/>; <see cref="RunAsync"/> returns when cancelled (SIGINT/SIGTERM) and throws
/// <see cref="NodeException"/> when the node cannot go on. Disposal stops everything and closes the store, after the
/// last batch committed: every piece of progress is written atomically as it happens.</remarks>
internal sealed partial class MgrNode : IAsyncDisposable
{
    /// <summary>Memory for sorting the genesis accounts (a few runs spill to disk beyond it: ~150 B per account).</summary>
    private const long GenesisSortBufferBytes = 32L << 20;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ILogger _logger;
    private readonly NodeSettings _settings;
    private readonly ConsensusEventChannel _engineEvents = new();
    private readonly ConsensusEventChannel _events = new();
    private FollowMode? _follow;
    private string? _temporaryDataDir;
    private RocksDbStore? _store;
    private SwarmNode? _swarm;
    private LeecherPipeline? _leecher;
    private DevnetSeeder? _seeder;
    private NodeStatusPublisher? _status;
    private MetricsExport? _metrics;
    private Func<IMessage, IMessage?>? _outgoingFilter;

    private MgrNode(NodeSettings settings, ILoggerFactory logging)
    {
        _settings = settings;
        Logging = logging;
        _logger = logging.CreateLogger("mgr.node");
    }

    /// <summary>The loggers of every part.</summary>
    public ILoggerFactory Logging { get; }

    /// <summary>Bound listen addresses with this node's <c>/p2p/</c> id.</summary>
    public IReadOnlyList<Multiaddr> Addresses => Swarm.Addresses;

    /// <summary>The swarm (engine, host, transport).</summary>
    public SwarmNode Swarm => _swarm ?? throw new InvalidOperationException("not started");

    /// <summary>The Engine API endpoint.</summary>
    public Uri? EngineAddress { get; private set; }

    /// <summary>The dashboard's address, when it is on.</summary>
    public Uri? DashboardAddress { get; private set; }

    /// <summary>The status snapshots (dashboard and progress display read them).</summary>
    public INodeStatusSource Status => _status ?? throw new InvalidOperationException("not started");

    /// <summary>The role the node started in (a leecher becomes a seeder of each epoch it verified).</summary>
    public Role StartRole { get; private set; }

    /// <summary>Opens the store, starts listening, serving the Engine API and (when configured) the dashboard.</summary>
    /// <exception cref="NodeException">When a setting, file or store cannot be used, or a port cannot be bound.</exception>
    /// <remarks><paramref name="outgoingFilter"/> is fault injection for tests of misbehaving peers; null in a real node.</remarks>
    public static async Task<MgrNode> StartAsync(NodeSettings settings, ILoggerFactory logging, CancellationToken cancellation,
                                                 Func<IMessage, IMessage?>? outgoingFilter = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logging);
        if (settings.Genesis is null) throw new NodeException("--genesis is required to join a swarm", ExitCodes.BadInput);
        var node = new MgrNode(settings, logging) { _outgoingFilter = outgoingFilter };
        try
        {
            await node.StartPartsAsync(cancellation).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartPartsAsync(CancellationToken cancellation)
    {
        string dataDir = _settings.DataDir ?? (_temporaryDataDir = Directory.CreateTempSubdirectory("mgr-node-").FullName);
        if (_temporaryDataDir is not null) Log.TemporaryDataDir(_logger, dataDir);
        ChainIdentity chain = ReadGenesis(_settings.Genesis!, Path.Combine(dataDir, "tmp"));
        StartRole = ChooseRole();
        IdentityKey identity = LoadIdentity(dataDir);
        _store = OpenStore(InitCommand.StorePath(dataDir), chain);
        var schedule = new EpochSchedule(_settings.EpochLength);

        var swarmOptions = new SwarmOptions
        {
            Role = StartRole, NetworkId = chain.NetworkId, GenesisHash = chain.Genesis.Hash, ForkId = chain.ForkIdAt(chain.Genesis),
            AcceptsForkId = remote => chain.Accepts(remote, chain.Genesis),
        };
        try
        {
            _swarm = SwarmNode.Start(identity, _store, new SwarmNodeOptions
            {
                Swarm = swarmOptions, Listen = _settings.Listen, Bootnodes = _settings.Bootnodes, TargetPeers = _settings.TargetPeers,
                Logger = Logging.CreateLogger("mgr.swarm"),
                OutgoingFilter = _outgoingFilter,
            });
        }
        catch (Mgr.Protocol.Host.HostException e)
        {
            identity.Dispose();
            throw new NodeException(e.Message.ReplaceLineEndings(" "), e.Reason == Mgr.Protocol.Host.HostError.UnsupportedAddress ? ExitCodes.BadInput : ExitCodes.Failure, e);
        }
        _owned.Add(_swarm);
        Log.Started(_logger, StartRole, chain.NetworkId, chain.Genesis.Hash, _settings.EpochLength);

        var genesisCheckpoint = new WeakSubjectivityCheckpoint(0, chain.Genesis.Hash, chain.Genesis.Encode());
        IEngineChainView view;
        IFinalizedHeaderSource finalized;
        Func<IReadOnlyList<StageProgress>> stages;
        if (StartRole == Role.Seeder)
        {
            var devnet = new DevnetDirectory(_settings.Devnet!);
            try
            {
                _seeder = DevnetSeeder.Open(devnet, _store, Path.Combine(dataDir, "tmp"), _swarm, schedule, genesisCheckpoint, Logging.CreateLogger("mgr.devnet"));
            }
            catch (DevnetException e)
            {
                throw new NodeException($"--devnet '{devnet.Root}': {e.Message}", ExitCodes.BadInput, e);
            }
            view = _seeder.View;
            finalized = _seeder.View;
            DevnetSeeder seeder = _seeder;
            stages = () => [new StageProgress("headers", seeder.Head.Number, seeder.Head.Number, "blocks")];
        }
        else
        {
            WeakSubjectivityCheckpoint checkpoint = await ResolveCheckpointAsync(genesisCheckpoint, cancellation).ConfigureAwait(false);
            var headerOptions = new HeaderSyncOptions { MemoryLimitBytes = _settings.Chain.HeadersMemoryLimitBytes, PeerWait = TimeSpan.MaxValue };
            _leecher = new LeecherPipeline(_store, checkpoint, _swarm.HeaderPeers, _swarm, schedule, headerOptions, LoadPreverified());
            _owned.Add(_leecher);
            view = _leecher.View;
            finalized = _leecher.View;
            LeecherPipeline leecher = _leecher;
            FollowMode follow = StartFollowMode(_store, _swarm, schedule);
            stages = () => follow.Active
                ? [.. leecher.Progress(), new StageProgress("follow", follow.BaseNumber, follow.HeadNumber, "blocks")]
                : leecher.Progress();
            Log.Checkpoint(_logger, checkpoint);
        }

        JwtSecret secret = LoadJwtSecret(dataDir);
        try
        {
            EngineApiServer engine = EngineApiServer.Start(new EngineApiHandler(view, _engineEvents), new JwtValidator(secret, TimeProvider.System),
                new EngineApiServerOptions { Port = _settings.Chain.EnginePort }, [new CheckpointRoute(finalized)], Logging.CreateLogger("mgr.engine"));
            _owned.Add(engine);
            EngineAddress = engine.Address;
        }
        catch (HttpListenerException e)
        {
            throw new NodeException($"Cannot serve the Engine API on 127.0.0.1:{_settings.Chain.EnginePort}: {e.Message}", ExitCodes.Failure, e);
        }
        Log.EngineApi(_logger, EngineAddress);

        _status = new NodeStatusPublisher(_swarm, chain.NetworkId, _settings.Network, stages)
        {
            EpochBlockOf = anchor => schedule.BoundaryNumber(anchor.Number),
        };
        if (_settings.Dashboard is { } dashboard)
        {
            try
            {
                DashboardServer server = DashboardServer.Start(dashboard, _status, Logging.CreateLogger("mgr.dashboard"));
                _owned.Add(server);
                DashboardAddress = server.Address;
            }
            catch (DashboardException e)
            {
                throw new NodeException($"Cannot serve the dashboard on {dashboard.Endpoint}: {e.Message}", ExitCodes.Failure, e);
            }
        }
        _metrics = MetricsExport.Start(_settings.Telemetry, new TelemetryIdentity(_swarm.Host.PeerId.ToString(), chain.NetworkId, _settings.Network,
            StartRole.ToString().ToLowerInvariant()));
    }

    /// <summary>Runs the chain side, the status publisher and the progress display until <paramref name="cancellation"/>
    /// fires (a clean stop), or until a part fails.</summary>
    /// <exception cref="NodeException">When sync cannot go on (a chain that contradicts the checkpoint, a devnet chain
    /// log that contradicts the store) or the engine's loop failed.</exception>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task pump = PumpEventsAsync(stop.Token);
        Task chain = _seeder is not null ? _seeder.RunAsync(_events, stop.Token) : _leecher!.RunAsync(_events, stop.Token);
        Task status = _status!.RunAsync(stop.Token);
        Task progress = ProgressDisplay.RunAsync(_status, Logging.CreateLogger("mgr.progress"), stop.Token);
        Task engineLoop = Swarm.Completion;
        Task finished = await Task.WhenAny(chain, engineLoop, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await IgnoreCancellation(pump).ConfigureAwait(false);
        await IgnoreCancellation(status).ConfigureAwait(false);
        await IgnoreCancellation(progress).ConfigureAwait(false);
        try
        {
            await IgnoreCancellation(chain).ConfigureAwait(false);
            if (finished == engineLoop) await engineLoop.ConfigureAwait(false);
        }
        catch (HeaderSyncException e)
        {
            throw new NodeException($"header sync aborted: {e.Message}", ExitCodes.Failure, e);
        }
        catch (Exception e) when (e is DevnetException or Mgr.Node.State.StateApplyException)
        {
            throw new NodeException($"following the devnet failed: {e.Message}", ExitCodes.Failure, e);
        }
        catch (StorageException e)
        {
            throw new NodeException($"store failure: {e.Message}", ExitCodes.Failure, e);
        }
        catch (InvalidOperationException e) when (finished == engineLoop)
        {
            throw new NodeException($"the swarm engine failed: {e.Message}", ExitCodes.Failure, e);
        }
        if (finished == engineLoop && !cancellation.IsCancellationRequested) throw new NodeException("the swarm engine stopped unexpectedly", ExitCodes.Failure);
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync().ConfigureAwait(false);
        _owned.Clear();
        _metrics?.Dispose();
        _seeder?.Dispose();
        _store?.Dispose();
        if (_temporaryDataDir is not null)
        {
            try
            {
                Directory.Delete(_temporaryDataDir, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temporary directory left behind is harmless
            }
        }
    }

    // A synced leecher keeps its state current by per-block diffs (FollowMode): it enters follow mode when the engine
    // verifies an epoch (or at start, when the store already holds a verified state), and every later epoch is offered
    // to it before the engine would sync it from the swarm.
    private FollowMode StartFollowMode(RocksDbStore store, SwarmNode swarm, EpochSchedule schedule)
    {
        var follow = new FollowMode(store, new Peers.SwarmFollowSources(swarm).Sources, Logging.CreateLogger("mgr.follow"));
        _follow = follow;
        _owned.Add(follow);
        swarm.OwnStateReady = (anchor, cancellation) => follow.WaitForBlockAsync(schedule.BoundaryNumber(anchor.Number), FollowMode.EpochWait, cancellation);
        swarm.Post(engine => engine.LayerDiffs = follow.TryGetLayerDiff);
        swarm.Post(engine => engine.Synced += (anchor, _) =>
        {
            if (follow.Active || StoredChain.ReadCanonical(store, schedule.BoundaryNumber(anchor.Number)) is not { } boundary || boundary.Hash != anchor.BoundaryHash) return;
            follow.StartAt(boundary);
        });
        if (FollowMode.CanResume(store)) follow.Resume();
        return follow;
    }

    // The Engine API's events go to the chain side and, while it follows the chain, to follow mode.
    private async Task PumpEventsAsync(CancellationToken cancellation)
    {
        await foreach (ConsensusEvent consensusEvent in _engineEvents.ReadEventsAsync(cancellation).ConfigureAwait(false))
        {
            _events.Publish(consensusEvent);
            _follow?.Publish(consensusEvent);
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Role ChooseRole()
    {
        return _settings.Role switch
        {
            NodeRole.Seeder when _settings.Devnet is null =>
                throw new NodeException("--role seeder needs a source of state: give --devnet <dir> (a devnet this node follows as a full node)", ExitCodes.BadInput),
            NodeRole.Leecher when _settings.Devnet is not null =>
                throw new NodeException("--devnet makes the node a full node (seeder); it cannot be given with --role leecher", ExitCodes.BadInput),
            NodeRole.Seeder => Role.Seeder,
            NodeRole.Leecher => Role.Leecher,
            _ => _settings.Devnet is null ? Role.Leecher : Role.Seeder,
        };
    }

    // Streams the genesis file: its accounts are sorted by hashed key in bounded runs under <datadir>/tmp, so memory does
    // not grow with the allocation (a devnet's genesis lists every account).
    private static ChainIdentity ReadGenesis(string path, string temporaryDirectory)
    {
        try
        {
            using FileStream file = CliInput.OpenFile(path);
            using var sorter = new EtlCollector(temporaryDirectory, GenesisSortBufferBytes);
            return ChainIdentity.From(GenesisBuilder.Build(file, sorter));
        }
        catch (CliInputException e)
        {
            throw new NodeException($"--genesis {e.Message}", ExitCodes.BadInput, e);
        }
        catch (GenesisException e)
        {
            throw new NodeException($"--genesis '{path}': {e.Message}", ExitCodes.BadInput, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException($"--genesis '{path}': {e.Message}", ExitCodes.Failure, e);
        }
    }

    private static IdentityKey LoadIdentity(string dataDir)
    {
        try
        {
            Directory.CreateDirectory(dataDir);
            return NodeKeyFile.LoadOrCreate(Path.Combine(dataDir, NodeKeyFile.FileName));
        }
        catch (NodeKeyFileException e)
        {
            throw new NodeException(e.Message.ReplaceLineEndings(" "), e.Reason == NodeKeyFileError.Io ? ExitCodes.Failure : ExitCodes.BadInput, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeException($"--datadir '{dataDir}': {e.Message}", ExitCodes.Failure, e);
        }
    }

    // Opens (or creates) the store and checks it belongs to this chain: a store holding another genesis is refused.
    private static RocksDbStore OpenStore(string path, ChainIdentity chain)
    {
        RocksDbStore store;
        try
        {
            store = RocksDbStore.Open(path);
        }
        catch (Exception e) when (e is StorageException or SchemaVersionException)
        {
            throw new NodeException($"store '{path}': {e.Message.ReplaceLineEndings(" ")}", ExitCodes.Failure, e);
        }
        if (HeaderStore.TryReadCanonical(store, 0, out Hash256 genesis) && genesis != chain.Genesis.Hash)
        {
            store.Dispose();
            throw new NodeException($"store '{path}' belongs to another chain (genesis {genesis}, not {chain.Genesis.Hash})", ExitCodes.BadInput);
        }
        return store;
    }

    private async Task<WeakSubjectivityCheckpoint> ResolveCheckpointAsync(WeakSubjectivityCheckpoint genesis, CancellationToken cancellation)
    {
        try
        {
            return await CheckpointSource.ResolveAsync(_settings.Chain.Checkpoint, _settings.Chain.CheckpointFile, _settings.Chain.CheckpointUrl, cancellation)
                .ConfigureAwait(false) ?? genesis;
        }
        catch (CheckpointException e)
        {
            throw new NodeException($"checkpoint: {e.Message}", ExitCodes.BadInput, e);
        }
    }

    private PreverifiedHashes? LoadPreverified()
    {
        if (!_settings.Chain.Backfill) return null;
        if (_settings.Chain.PreverifiedPath is not { } path) return PreverifiedHashes.Empty;
        try
        {
            return PreverifiedHashes.Load(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new NodeException($"--preverified '{path}': {e.Message}", ExitCodes.BadInput, e);
        }
    }

    private JwtSecret LoadJwtSecret(string dataDir)
    {
        try
        {
            if (_settings.Chain.JwtSecretPath is { } path) return JwtSecret.Load(path);
            string defaultPath = Path.Combine(dataDir, "jwt.hex");
            JwtSecret secret = JwtSecret.LoadOrCreate(defaultPath, out bool created);
            Log.JwtSecret(_logger, created ? "created" : "using", defaultPath);
            return secret;
        }
        catch (JwtSecretException e)
        {
            throw new NodeException(e.Message, ExitCodes.BadInput, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "no --datadir: keeping the store in {Directory} for this run only")]
        public static partial void TemporaryDataDir(ILogger logger, string directory);

        [LoggerMessage(Level = LogLevel.Information, Message = "node started as {Role} on network {NetworkId}, genesis {Genesis}, epoch length {EpochLength}")]
        public static partial void Started(ILogger logger, Role role, ulong networkId, Hash256 genesis, ulong epochLength);

        [LoggerMessage(Level = LogLevel.Information, Message = "weak-subjectivity checkpoint {Checkpoint}")]
        public static partial void Checkpoint(ILogger logger, WeakSubjectivityCheckpoint checkpoint);

        [LoggerMessage(Level = LogLevel.Information, Message = "Engine API at {Address} (JWT required)")]
        public static partial void EngineApi(ILogger logger, Uri address);

        [LoggerMessage(Level = LogLevel.Information, Message = "JWT secret: {Action} {Path}")]
        public static partial void JwtSecret(ILogger logger, string action, string path);
    }
}
