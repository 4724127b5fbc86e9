using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

/// <summary>Builds the malicious nodes of <see cref="AdversarialSwarmTests"/>: each runs a real engine whose traffic is
/// rewritten (<see cref="SimulatedNode.OutgoingFilter"/>), dropped (<see cref="SimulatedNode.Withholds"/>) or
/// supplemented by a script on the network's loop (<see cref="SimulatedNetwork.Inject"/>, <see cref="SimulatedNetwork.InjectRaw"/>).
/// Every script misbehaves persistently, as an attacker would, until the honest peer drops it.</summary>
internal sealed class AdversaryScripts(SwarmHarness harness, EpochAnchor anchor, IReadOnlyList<SimulatedNode> honest)
{
    private readonly ChunkProducer _producer = Producer(harness.SeederStore, anchor);
    private readonly HashSet<PeerHandle> _honest = [.. honest.Select(static node => node.Handle)];
    private readonly Dictionary<(Hash256 Root, ChunkId Chunk), StateData?> _chunks = [];
    private readonly Random _random = new(11);

    private SimulatedNetwork Network => harness.Network;

    private int Depth => _producer.Index.Depth;

    /// <summary>Pushes every honest leecher, four times a second, a chunk it lacks with one account's value swapped for another's.</summary>
    public Adversary InvalidProofs(string name)
    {
        var adversary = new Adversary(AdversaryKind.InvalidProofs, harness.AddLeecher(name));
        adversary.Node.OutgoingFilter = (to, message) =>
        {
            if (message is not StateData { Chunk.IsStorage: false, Accounts.Count: > 1 } data) return null;
            Count(adversary, to);
            return SwarmEngineRuleTests.Corrupt(data);
        };
        Every(TimeSpan.FromMilliseconds(250), () =>
        {
            foreach (SimulatedNode target in Victims(adversary))
            {
                if (target == harness.Seeder || MissingChunk(target, _producer) is not { } data) continue;
                Count(adversary, target.Handle);
                Network.Inject(adversary.Node, target, SwarmEngineRuleTests.Corrupt(data));
            }
        });
        return adversary;
    }

    /// <summary>Pushes every honest leecher, four times a second, a chunk it lacks, valid but taken from an older state:
    /// the epoch's boundary hash with the old state root (StateData for another root).</summary>
    public Adversary StaleRoot(string name, InMemoryKeyValueStore oldState, Hash256 oldRoot)
    {
        var adversary = new Adversary(AdversaryKind.StaleRoot, harness.AddLeecher(name));
        ChunkProducer stale = Producer(oldState, anchor with { StateRoot = oldRoot });
        Every(TimeSpan.FromMilliseconds(250), () =>
        {
            foreach (SimulatedNode target in Victims(adversary))
            {
                if (target == harness.Seeder || MissingChunk(target, stale) is not { } data) continue;
                Count(adversary, target.Handle);
                Network.Inject(adversary.Node, target, data);
            }
        });
        return adversary;
    }

    /// <summary>Announces every chunk (Status, Haves, and the full have-set again five times a second) and answers
    /// every request for one with Unavailable; forwards nothing.</summary>
    public Adversary LyingHaves(string name)
    {
        var adversary = new Adversary(AdversaryKind.LyingHaves, harness.AddLeecher(name));
        adversary.Node.Withholds = static (_, message) => message is StateData { RequestId: 0 };
        adversary.Node.OutgoingFilter = (to, message) =>
        {
            switch (message)
            {
                case Status status:
                    return ClaimEverything(status);
                case Haves:
                    return EverythingHaves();
                case StateData data:
                    Count(adversary, to);
                    return new Unavailable(data.RequestId, UnavailableReason.UnknownEpoch);
                case Unavailable:
                    Count(adversary, to);
                    return null;
                default:
                    return null;
            }
        };
        Every(TimeSpan.FromMilliseconds(200), () =>
        {
            foreach (SimulatedNode target in Victims(adversary)) Network.Inject(adversary.Node, target, EverythingHaves());
        });
        return adversary;
    }

    /// <summary>Announces every chunk (and again once a second) and never answers a request or pushes anything.</summary>
    public Adversary Withholding(string name)
    {
        var adversary = new Adversary(AdversaryKind.Withholding, harness.AddLeecher(name));
        adversary.Node.OutgoingFilter = (_, message) => message switch
        {
            Status status => ClaimEverything(status),
            Haves => EverythingHaves(),
            _ => null,
        };
        adversary.Node.Withholds = (to, message) =>
        {
            if (message is not IResponse response) return false;
            if (response.RequestId != 0) Count(adversary, to);
            return true;
        };
        Every(TimeSpan.FromSeconds(1), () =>
        {
            foreach (SimulatedNode target in Victims(adversary)) Network.Inject(adversary.Node, target, EverythingHaves());
        });
        return adversary;
    }

    /// <summary>For its first 1.5 s sends every peer 15 Haves of 128 scattered single keys each every 100 ms (within the
    /// control budget: have-sets must stay bounded by themselves); then, every 100 ms, 100 more Haves, 20 Status, 50
    /// GetStateData and 30 unsolicited ByteCodes.</summary>
    public Adversary Flooding(string name)
    {
        // An attacker with a fat pipe: on the network's default uplink the flood would throttle itself.
        var store = new InMemoryKeyValueStore();
        var adversary = new Adversary(AdversaryKind.Flooding,
            Network.AddNode(name, (transport, clock) => new SwarmEngine(harness.Options, store, transport, clock), new NodeCapacity(0, 0)));
        adversary.Node.OutgoingFilter = (_, message) => message is Status status ? status with { Epoch = EpochOf(), Role = Role.Leecher, HaveAccounts = KeyRangeSet.Empty, HaveStorage = [] } : null;
        TimeSpan floodFrom = Network.Clock.Now + TimeSpan.FromSeconds(1.5);
        Every(TimeSpan.FromMilliseconds(100), () =>
        {
            bool flood = Network.Clock.Now >= floodFrom;
            foreach (SimulatedNode target in Victims(adversary))
            {
                for (int i = 0; i < (flood ? 100 : 15); i++) Network.Inject(adversary.Node, target, new Haves(anchor.BoundaryHash, ScatteredKeys(128), []));
                if (!flood) continue;
                Count(adversary, target.Handle);
                Status status = BaseStatus() with { Epoch = EpochOf() };
                for (int i = 0; i < 20; i++) Network.Inject(adversary.Node, target, status);
                var partition = new KeyspacePartition(Depth);
                for (int i = 0; i < 50; i++)
                    Network.Inject(adversary.Node, target, new GetStateData((ulong)(1000 + i), anchor.BoundaryHash, anchor.StateRoot, partition.ChunkAt((ulong)i % partition.ChunkCount)));
                for (int i = 0; i < 30; i++) Network.Inject(adversary.Node, target, new ByteCodes((ulong)(900_000 + i), [new byte[] { 0x60, 0x00 }]));
            }
        });
        return adversary;
    }

    /// <summary>Opens every second session with a request instead of Status; on the others, once a second, sends a
    /// truncated GetStateData and a message with an undefined code.</summary>
    public Adversary ProtocolViolations(string name)
    {
        var adversary = new Adversary(AdversaryKind.ProtocolViolations, harness.AddLeecher(name));
        var greeted = new HashSet<PeerHandle>();
        adversary.Node.OutgoingFilter = (to, message) =>
        {
            if (message is not Status || to.Id % 2 != 0 || !greeted.Add(to)) return null;
            Count(adversary, to);
            return new GetStateData(1, anchor.BoundaryHash, anchor.StateRoot, new KeyspacePartition(0).ChunkAt(0));
        };
        Every(TimeSpan.FromSeconds(1), () =>
        {
            foreach (SimulatedNode target in Victims(adversary))
            {
                if (target.Handle.Id % 2 == 0) continue;
                Count(adversary, target.Handle);
                Network.InjectRaw(adversary.Node, target, (byte)MessageCode.GetStateData, [0xc5, 0x01, 0xa0]);
                Network.InjectRaw(adversary.Node, target, 0x20, [0xc0]);
            }
        });
        return adversary;
    }

    private static ChunkProducer Producer(InMemoryKeyValueStore store, EpochAnchor anchor)
    {
        var nodes = new TrieNodeStore(store);
        return new ChunkProducer(nodes, anchor, EpochIndex.Build(nodes, anchor.StateRoot));
    }

    // Honest nodes the adversary still has a session with.
    private List<SimulatedNode> Victims(Adversary adversary) => [.. honest.Where(node => Network.AreConnected(adversary.Node, node))];

    // Counts a misbehaving message towards an honest peer (other adversaries are not victims).
    private void Count(Adversary adversary, PeerHandle target)
    {
        if (_honest.Contains(target)) adversary.CountAct(target);
    }

    // The StateData (from `producer`) of the first account chunk at the epoch's depth the target does not hold yet.
    private StateData? MissingChunk(SimulatedNode target, ChunkProducer producer)
    {
        var partition = new KeyspacePartition(Depth);
        for (ulong i = 0; i < partition.ChunkCount; i++)
        {
            ChunkId chunk = partition.ChunkAt(i);
            if (target.Engine.HeldAccounts.Contains(chunk.Range)) continue;
            if (!_chunks.TryGetValue((producer.Anchor.StateRoot, chunk), out StateData? data))
                _chunks[(producer.Anchor.StateRoot, chunk)] = data = producer.TryProduce(chunk);
            if (data is { Accounts.Count: > 1 }) return data;
        }
        return null;
    }

    private void Every(TimeSpan interval, Action action)
    {
        void Run()
        {
            action();
            Network.Schedule(Network.Clock.Now + interval, Run);
        }
        Network.Schedule(Network.Clock.Now + interval, Run);
    }

    private Epoch EpochOf() => new(anchor.Number, anchor.BoundaryHash, anchor.StateRoot, Depth);

    private Status BaseStatus() => new(Limits.ProtocolVersion, harness.Options.NetworkId, harness.Options.GenesisHash, harness.Options.ForkId, default, default,
                                       Role.Leecher, null, KeyRangeSet.Empty, []);

    private Status ClaimEverything(Status status) => status with
    {
        Role = Role.Leecher,
        Epoch = EpochOf(),
        HaveAccounts = KeyRangeSet.Full,
        HaveStorage = [.. _producer.Index.External.OrderBy(static storage => storage.Account).Select(static storage => new StorageHave(storage.Account, KeyRangeSet.Full))],
    };

    private Haves EverythingHaves() => new(anchor.BoundaryHash, KeyRangeSet.Full,
        [.. _producer.Index.External.OrderBy(static storage => storage.Account).Select(static storage => new StorageHave(storage.Account, KeyRangeSet.Full))]);

    private KeyRangeSet ScatteredKeys(int count)
    {
        var ranges = new KeyRange[count];
        Span<byte> key = stackalloc byte[32];
        for (int i = 0; i < count; i++)
        {
            _random.NextBytes(key);
            var point = new Hash256(key);
            ranges[i] = new KeyRange(point, point);
        }
        return KeyRangeSet.From(ranges);
    }
}
