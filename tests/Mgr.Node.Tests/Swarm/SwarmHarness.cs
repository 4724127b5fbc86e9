using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

/// <summary>A seeder and leechers over a <see cref="SimulatedNetwork"/>, each with its own in-memory store.</summary>
internal sealed class SwarmHarness
{
    public static readonly Hash256 Genesis = Hash256.Parse("0x" + new string('1', 64));

    public SwarmHarness(TestState state, int leechers, SwarmOptions? options = null, long uploadBytesPerSecond = 0)
    {
        State = state;
        Options = options ?? new SwarmOptions { GenesisHash = Genesis, NetworkId = 7 };
        Network = new SimulatedNetwork(TimeSpan.FromMilliseconds(5), uploadBytesPerSecond, TimeSpan.FromMilliseconds(20));
        SeederStore = new InMemoryKeyValueStore();
        state.CopyTo(SeederStore);
        Seeder = Network.AddNode("seeder", (transport, clock) => new SwarmEngine(Options with { Role = Role.Seeder }, SeederStore, transport, clock));
        for (int i = 0; i < leechers; i++) AddLeecher($"leecher{i}");
    }

    public TestState State { get; }

    public SwarmOptions Options { get; }

    public SimulatedNetwork Network { get; }

    public InMemoryKeyValueStore SeederStore { get; }

    public SimulatedNode Seeder { get; }

    public List<SimulatedNode> Leechers { get; } = [];

    public Dictionary<SimulatedNode, InMemoryKeyValueStore> Stores { get; } = [];

    public SimulatedNode AddLeecher(string name, SwarmOptions? options = null, InMemoryKeyValueStore? existing = null)
    {
        InMemoryKeyValueStore store = existing ?? new InMemoryKeyValueStore();
        SimulatedNode node = Network.AddNode(name, (transport, clock) => new SwarmEngine(options ?? Options, store, transport, clock));
        Leechers.Add(node);
        Stores[node] = store;
        return node;
    }

    public static EpochAnchor Anchor(ulong number, Hash256 root)
    {
        Span<byte> hash = stackalloc byte[32];
        hash.Fill((byte)(0x20 + number));
        hash[31] = (byte)number;
        return new EpochAnchor(number, new Hash256(hash), root);
    }

    public void Finalize(EpochAnchor anchor)
    {
        State.CopyTo(SeederStore);
        foreach (SimulatedNode node in Network.Nodes) node.Engine.OnEpochFinalized(anchor);
    }

    public bool RunUntilSynced(IEnumerable<SimulatedNode> nodes, Hash256 root, TimeSpan limit)
    {
        List<SimulatedNode> list = [.. nodes];
        return Network.RunUntil(() => list.All(node => node.Engine.IsSynced && node.Engine.Anchor?.StateRoot == root), limit);
    }
}
