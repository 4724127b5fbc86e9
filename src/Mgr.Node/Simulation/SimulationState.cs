using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.Simulation;

/// <summary>The real state a simulation distributes: a seeded random account trie (optionally with contracts whose
/// storage is external, each one more chunk), written into a seeders' store, with the anchor and the size of one full
/// ride (every chunk once) that the simulator scales to the configured state size.</summary>
public sealed class SimulationState
{
    private SimulationState(EpochAnchor anchor, int depth, int chunkCount, long rideBytes)
    {
        Anchor = anchor;
        Depth = depth;
        ChunkCount = chunkCount;
        RideBytes = rideBytes;
    }

    /// <summary>The epoch every node is told is finalized.</summary>
    public EpochAnchor Anchor { get; }

    /// <summary>The account chunk depth seeders select for this state.</summary>
    public int Depth { get; }

    /// <summary>StateData messages one full ride sends (account chunks plus external storage chunks).</summary>
    public int ChunkCount { get; }

    /// <summary>Encoded bytes of one full ride: the real size of the state on the wire.</summary>
    public long RideBytes { get; }

    /// <summary>Builds the state for <paramref name="seed"/> and writes its trie nodes into <paramref name="store"/>; chunks
    /// follow the depth rule with <paramref name="targetLeavesPerChunk"/> leaves per chunk.</summary>
    public static SimulationState Build(IKeyValueStore store, int seed, int accounts, int contracts, int slotsPerContract,
                                        int targetLeavesPerChunk = Limits.TargetLeavesPerChunk)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(accounts);
        ArgumentOutOfRangeException.ThrowIfNegative(contracts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contracts, accounts);
        var random = new Random(seed);
        var nodes = new MemoryNodeStore();
        var trie = new PatriciaTrie(nodes);
        Span<byte> key = stackalloc byte[Hash256.Length];
        for (int i = 0; i < accounts; i++)
        {
            random.NextBytes(key);
            Hash256 storageRoot = i < contracts ? BuildStorage(nodes, random, slotsPerContract) : Hash256.EmptyTrieRoot;
            trie.Set(key, Account((ulong)i, (ulong)random.NextInt64(1, long.MaxValue), storageRoot));
        }
        Hash256 root = trie.Commit();
        using (IWriteBatch batch = store.BeginBatch())
        {
            foreach (Hash256 hash in nodes.Hashes)
            {
                nodes.TryGet(hash, out ReadOnlyMemory<byte> rlp);
                TrieNodeStore.Write(batch, hash, rlp.Span);
            }
            batch.Commit();
        }
        Span<byte> boundary = stackalloc byte[Hash256.Length];
        random.NextBytes(boundary);
        var anchor = new EpochAnchor(1, new Hash256(boundary), root);
        return Measure(nodes, anchor, targetLeavesPerChunk);
    }

    private static SimulationState Measure(INodeStore nodes, EpochAnchor anchor, int targetLeavesPerChunk)
    {
        EpochIndex index = EpochIndex.Build(nodes, anchor.StateRoot, targetLeavesPerChunk);
        var producer = new ChunkProducer(nodes, anchor, index);
        var partition = new KeyspacePartition(index.Depth);
        int chunks = 0;
        long bytes = 0;
        for (ulong i = 0; i < partition.ChunkCount; i++) Add(producer.ProduceSplit(partition.ChunkAt(i)));
        foreach (ExternalStorage storage in index.External)
        {
            var storagePartition = new KeyspacePartition(storage.Depth, storage.Account);
            for (ulong i = 0; i < storagePartition.ChunkCount; i++) Add(producer.ProduceSplit(storagePartition.ChunkAt(i)));
        }
        return new SimulationState(anchor, index.Depth, chunks, bytes);

        void Add(IEnumerable<StateData> produced)
        {
            foreach (StateData data in produced)
            {
                chunks++;
                bytes += data.EncodedLength();
            }
        }
    }

    private static Hash256 BuildStorage(MemoryNodeStore nodes, Random random, int slots)
    {
        var storage = new PatriciaTrie(nodes);
        Span<byte> slot = stackalloc byte[Hash256.Length];
        for (int i = 0; i < slots; i++)
        {
            random.NextBytes(slot);
            storage.Set(slot, Value((ulong)random.NextInt64(1, long.MaxValue)));
        }
        return storage.Commit();
    }

    private static byte[] Account(ulong nonce, ulong balance, Hash256 storageRoot)
    {
        int content = Rlp.LengthOf(nonce) + Rlp.LengthOf(balance) + Rlp.LengthOf(storageRoot) + Rlp.LengthOf(Hash256.EmptyKeccak);
        byte[] output = new byte[Rlp.LengthOfList(content)];
        var writer = new RlpWriter(output);
        writer.WriteListHeader(content);
        writer.Write(nonce);
        writer.Write(balance);
        writer.Write(storageRoot);
        writer.Write(Hash256.EmptyKeccak);
        return output;
    }

    private static byte[] Value(ulong value)
    {
        byte[] output = new byte[Rlp.LengthOf(value)];
        var writer = new RlpWriter(output);
        writer.Write(value);
        return output;
    }
}
