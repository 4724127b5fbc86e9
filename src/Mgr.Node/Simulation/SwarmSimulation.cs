using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Simulation;

/// <summary>Runs the real <see cref="SwarmEngine"/> of every node over a <see cref="SimulatedNetwork"/> in virtual time
/// (spec/simulator.md): builds the state once into a <see cref="SharedEntryPool"/> shared by every node's store, wires the
/// topology of the mode, applies churn, samples coverage, and collects each node's outcome.</summary>
/// <remarks>Deterministic: the same settings give the same result. Single-threaded.</remarks>
public sealed class SwarmSimulation
{
    private static readonly Hash256 Genesis = Hash256.Parse("0x" + new string('5', 64));

    private readonly SimulationSettings _settings;
    private readonly Random _random;
    private readonly SharedEntryPool _pool = new();
    private readonly List<SimulatedNode> _seeders = [];
    private readonly List<SimulatedNode> _leechers = [];
    private readonly Dictionary<SimulatedNode, List<SimulatedNode>> _neighbours = [];
    private readonly HashSet<SimulatedNode> _churned = [];
    private readonly List<CoverageSample> _samples = [];
    private readonly SimulatedNetwork _network;
    private readonly SimulationState _state;
    private readonly double _scale;
    private Action<SimulationProgress>? _progress;
    private double _expected;
    private int _synced;

    private SwarmSimulation(SimulationSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _random = new Random(settings.Seed);
        var seederStore = new PooledKeyValueStore(_pool);
        int targetLeaves = settings.TargetLeavesPerChunk();
        _state = SimulationState.Build(seederStore, settings.Seed, settings.Accounts, settings.Contracts, settings.SlotsPerContract, targetLeaves);
        _scale = (double)settings.StateBytes / _state.RideBytes;
        _network = new SimulatedNetwork(settings.Latency, settings.PeerUploadBytesPerSecond, settings.TickInterval)
        {
            RoundTripMessages = false,
            ControlFirst = settings.ControlFirst,
            DownloadBytesPerSecond = settings.PeerDownloadBytesPerSecond,
            WireSize = WireSize,
        };
        // Requests wait behind whole chunks queued on a saturated uplink; a timeout shorter than the client–server bound
        // would punish queueing as a dead peer, so it is at least twice that.
        double clientServerBound = LowerBound.ClientServer(settings.StateBytes, settings.Leechers,
                                                           (double)settings.SeederUploadBytesPerSecond * settings.Seeders, settings.PeerDownloadBytesPerSecond);
        TimeSpan timeout = TimeSpan.FromSeconds(Math.Max(settings.Engine.RequestTimeout.TotalSeconds, 2 * clientServerBound));
        SwarmOptions options = settings.Engine with { GenesisHash = Genesis, NetworkId = 1, RequestTimeout = timeout, TargetLeavesPerChunk = targetLeaves };
        bool clientServer = settings.Mode == SimulationMode.ClientServer;
        for (int i = 0; i < settings.Seeders; i++)
        {
            PooledKeyValueStore store = i == 0 ? seederStore : CopyOf(seederStore);
            // A client–server seeder is every leecher's only holder: answering Busy would only add round trips.
            SwarmOptions seeder = options with
            {
                Role = Role.Seeder, PushFanOut = clientServer ? 0 : options.PushFanOut, TieBreakSeed = TieBreak(settings.Seed, i),
                MaxServeBacklogBytes = clientServer ? 0 : options.MaxServeBacklogBytes,
            };
            _seeders.Add(_network.AddNode($"seeder{i}", (transport, clock) => new SwarmEngine(seeder, store, transport, clock),
                                          new NodeCapacity(settings.SeederUploadBytesPerSecond, 0)));
        }
        // Client–server: every leecher pulls everything from the seeders at once (snap-sync style: in key order, from a
        // starting key of its own), with at least the engine's default requests in flight towards its only peer(s).
        SwarmOptions leecher = clientServer
            ? options with
            {
                ForwardFanOut = 0, PullAfterIdle = TimeSpan.Zero, SeederPullAfterIdle = TimeSpan.Zero, PullInKeyOrder = true,
                MaxPullsPerPeer = Math.Max(options.MaxPullsPerPeer, new SwarmOptions().MaxPullsPerPeer),
            }
            : options;
        for (int i = 0; i < settings.Leechers; i++)
        {
            var store = new PooledKeyValueStore(_pool);
            SwarmOptions own = leecher with { TieBreakSeed = TieBreak(settings.Seed, settings.Seeders + i) };
            SimulatedNode node = _network.AddNode($"leecher{i}", (transport, clock) => new SwarmEngine(own, store, transport, clock));
            node.Engine.Synced += (_, _) => _synced++;
            _leechers.Add(node);
        }
    }

    // Each node's own pull order, fixed by the run's seed.
    private static ulong TieBreak(int seed, int node) => (ulong)(uint)seed << 32 | (uint)node;

    /// <summary>Runs one simulation to completion or to its time limit (<see cref="SimulationSettings.TimeLimit"/>),
    /// telling <paramref name="progress"/> where it is at each coverage sample.</summary>
    public static SimulationResult Run(SimulationSettings settings, Action<SimulationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SwarmSimulation(settings) { _progress = progress }.Run();
    }

    private SimulationResult Run()
    {
        int leechers = _settings.Leechers;
        double seederUpload = (double)_settings.SeederUploadBytesPerSecond * _settings.Seeders;
        double bound = LowerBound.Swarm(_settings.StateBytes, leechers, seederUpload, _settings.PeerUploadBytesPerSecond, _settings.PeerDownloadBytesPerSecond);
        double clientServerBound = LowerBound.ClientServer(_settings.StateBytes, leechers, seederUpload, _settings.PeerDownloadBytesPerSecond);
        double expected = _expected = _settings.Mode == SimulationMode.ClientServer ? clientServerBound : bound;
        Connect();
        foreach (SimulatedNode node in _network.Nodes) node.Engine.OnEpochFinalized(_state.Anchor);
        ScheduleChurn(expected);
        TimeSpan interval = TimeSpan.FromSeconds(Math.Max(expected * 1.5 / _settings.Samples, 0.01));
        ScheduleSample(interval);
        TimeSpan limit = _settings.TimeLimit ?? TimeSpan.FromSeconds(expected * 20 + 60);
        bool completed = _network.RunUntil(() => _synced == leechers, limit);
        Sample();
        var outcomes = new List<NodeOutcome>(_network.Nodes.Count);
        foreach (SimulatedNode node in _seeders) outcomes.Add(Outcome(node, seeder: true));
        foreach (SimulatedNode node in _leechers) outcomes.Add(Outcome(node, seeder: false));
        return new SimulationResult(_settings, _state, _scale, bound, clientServerBound, completed, _network.Clock.Now.TotalSeconds, outcomes,
                                    _samples, _network.EventsProcessed,
                                    new SortedDictionary<string, long>(_network.MessagesSent.ToDictionary(), StringComparer.Ordinal));
    }

    private NodeOutcome Outcome(SimulatedNode node, bool seeder)
    {
        SwarmCounters counters = node.Engine.Counters;
        return new NodeOutcome(node.Name, seeder, seeder ? null : counters.SyncedAt?.TotalSeconds, node.ChunkBytesSent, node.ChunkBytesReceived,
                               (long)Math.Round(counters.DuplicateBytes * _scale), node.WireBytesSent, _churned.Contains(node),
                               counters.PullRequests, counters.ChunksForwarded, counters.PenaltiesGiven, Neighbours(node).Count);
    }

    // Chunk-carrying messages are scaled to the configured state size; control messages keep their real size.
    private long WireSize(IMessage message)
    {
        long size = message.EncodedLength();
        return message is StateData or ChunkDiff or ByteCodes or TrieNodes ? (long)Math.Round(size * _scale) : size;
    }

    private PooledKeyValueStore CopyOf(PooledKeyValueStore source)
    {
        var copy = new PooledKeyValueStore(_pool);
        using var batch = copy.BeginBatch();
        using (var cursor = source.Iterate(Mgr.Node.Storage.Schema.TrieNodes, [], []))
            while (cursor.MoveNext()) batch.Put(Mgr.Node.Storage.Schema.TrieNodes, cursor.Key, cursor.Value);
        batch.Commit();
        return copy;
    }

    // Swarm: every node opens Degree sessions to random others (a seeder only to leechers), then every leecher with fewer
    // than TargetPeers dials more leechers until it has that many; client–server: each leecher to every seeder and
    // nothing else.
    private void Connect()
    {
        if (_settings.Mode == SimulationMode.ClientServer)
        {
            foreach (SimulatedNode leecher in _leechers)
            foreach (SimulatedNode seeder in _seeders)
                Link(leecher, seeder);
            return;
        }
        List<SimulatedNode> all = [.. _network.Nodes];
        foreach (SimulatedNode node in all)
        {
            List<SimulatedNode> pool = _seeders.Contains(node) ? _leechers : all;
            int wanted = Math.Min(_settings.Degree, pool.Count - (pool.Contains(node) ? 1 : 0));
            for (int opened = 0, attempts = 0; opened < wanted && attempts < wanted * 20; attempts++)
            {
                SimulatedNode other = pool[_random.Next(pool.Count)];
                if (other == node || _network.AreConnected(node, other)) continue;
                Link(node, other);
                opened++;
            }
        }
        int target = Math.Min(_settings.TargetPeers, _leechers.Count - 1);
        foreach (SimulatedNode node in _leechers)
        {
            for (int attempts = 0; Neighbours(node).Count < target && attempts < target * 20; attempts++)
            {
                SimulatedNode other = _leechers[_random.Next(_leechers.Count)];
                if (other == node || _network.AreConnected(node, other)) continue;
                Link(node, other);
            }
        }
    }

    private void Link(SimulatedNode a, SimulatedNode b)
    {
        _network.Connect(a, b);
        Neighbours(a).Add(b);
        Neighbours(b).Add(a);
    }

    private List<SimulatedNode> Neighbours(SimulatedNode node)
    {
        if (!_neighbours.TryGetValue(node, out List<SimulatedNode>? list)) _neighbours[node] = list = [];
        return list;
    }

    // Churn: that fraction of leechers, chosen at random, leaves once at a random time within the expected completion
    // and rejoins (reconnecting to its former neighbours) after 10–50% of it.
    private void ScheduleChurn(double expectedSeconds)
    {
        int count = (int)Math.Round(_settings.Churn * _leechers.Count);
        foreach (SimulatedNode node in _leechers.OrderBy(_ => _random.Next()).Take(count).ToList())
        {
            TimeSpan leave = TimeSpan.FromSeconds(_random.NextDouble() * expectedSeconds * 0.8);
            TimeSpan back = leave + TimeSpan.FromSeconds((0.1 + _random.NextDouble() * 0.4) * expectedSeconds);
            _churned.Add(node);
            _network.Schedule(leave, () =>
            {
                if (!node.Engine.IsSynced) _network.SetOnline(node, false);
            });
            _network.Schedule(back, () =>
            {
                if (node.IsOnline) return;
                _network.SetOnline(node, true);
                foreach (SimulatedNode other in Neighbours(node)) _network.Connect(node, other);
            });
        }
    }

    private void ScheduleSample(TimeSpan interval) => _network.Schedule(_network.Clock.Now + interval, () =>
    {
        Sample();
        if (_progress is { } progress)
        {
            IReadOnlyList<double> coverage = _samples[^1].Coverage;
            progress(new SimulationProgress(_network.Clock.Now.TotalSeconds, _expected, _synced, _leechers.Count,
                                            coverage.Count == 0 ? 1 : coverage.Average(), _network.EventsProcessed));
        }
        if (_synced < _leechers.Count) ScheduleSample(interval);
    });

    // Coverage: 1 once synced, else the share of the state's chunk bytes received and not duplicate.
    private void Sample()
    {
        var coverage = new double[_leechers.Count];
        for (int i = 0; i < coverage.Length; i++)
        {
            SwarmEngine engine = _leechers[i].Engine;
            if (engine.IsSynced)
            {
                coverage[i] = 1;
                continue;
            }
            long fresh = engine.Counters.BytesInOf(MessageCode.StateData) - engine.Counters.DuplicateBytes;
            coverage[i] = Math.Clamp((double)fresh / _state.RideBytes, 0, 0.999);
        }
        _samples.Add(new CoverageSample(_network.Clock.Now.TotalSeconds, coverage));
    }
}
