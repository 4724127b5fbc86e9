using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>A small Ethereum-shaped state at two roots (an epoch and the next one) that the chunk targets cut their seeds
/// from with the real producers, and the ground truth their oracles compare accepted chunks and diffs against:
/// 160 accounts, three with inline storage (3, 20 and 60 slots), one with external storage (300 slots); between the
/// roots ten balances, one deleted and one new account, and five slots of each storage change.</summary>
internal sealed class ChunkFixture
{
    private static readonly Lazy<ChunkFixture> LazyInstance = new(() => new ChunkFixture());

    private readonly Dictionary<Hash256, IReadOnlyList<TrieLeaf>> _accounts = [];
    private readonly Dictionary<(Hash256 Root, Hash256 Account), IReadOnlyList<TrieLeaf>> _storage = [];

    private ChunkFixture()
    {
        var random = new Random(20261122);
        var nodes = new MemoryNodeStore();
        var trie = new PatriciaTrie(nodes);
        var keys = new List<Hash256>();
        int[] slotCounts = [3, 20, 60, 300];
        var storageRoots = new Dictionary<Hash256, Hash256>();
        for (int i = 0; i < 160; i++)
        {
            Hash256 key = RandomHash(random);
            keys.Add(key);
            Hash256 storageRoot = Hash256.EmptyTrieRoot;
            if (i < slotCounts.Length)
            {
                var storage = new PatriciaTrie(nodes);
                for (int s = 0; s < slotCounts[i]; s++) storage.Set(RandomHash(random).ToArray(), Slot((ulong)random.Next(1, int.MaxValue)));
                storageRoot = storage.Commit();
                storageRoots[key] = storageRoot;
            }
            trie.Set(key.ToArray(), Account((ulong)i, (ulong)random.Next(1, int.MaxValue), storageRoot));
        }
        OldRoot = trie.Commit();

        var next = new PatriciaTrie(nodes, OldRoot);
        for (int i = 10; i < 20; i++) next.Set(keys[i].ToArray(), Account(1, (ulong)random.Next(1, int.MaxValue), Hash256.EmptyTrieRoot));
        next.Delete(keys[50].ToArray());
        next.Set(RandomHash(random).ToArray(), Account(0, 7, Hash256.EmptyTrieRoot));
        foreach ((Hash256 account, Hash256 root) in storageRoots)
        {
            var storage = new PatriciaTrie(nodes, root);
            List<TrieEntry> slots = [.. storage.Enumerate().Take(5)];
            foreach (TrieEntry slot in slots) storage.Set(slot.Key, Slot((ulong)random.Next(1, int.MaxValue)));
            next.Set(account.ToArray(), Account(2, 1000, storage.Commit()));
        }
        NewRoot = next.Commit();

        OldEpoch = new EpochAnchor(1, Hash(0x11), OldRoot);
        NewEpoch = new EpochAnchor(2, Hash(0x22), NewRoot);
        Old = new ChunkProducer(nodes, OldEpoch, EpochIndex.Build(nodes, OldRoot));
        New = new ChunkProducer(nodes, NewEpoch, EpochIndex.Build(nodes, NewRoot));
        Nodes = nodes;
        foreach (Hash256 root in new[] { OldRoot, NewRoot })
        {
            _accounts[root] = Leaves(new PatriciaTrie(nodes, root));
            foreach (TrieLeaf account in _accounts[root])
            {
                Hash256 storageRoot = AccountValue.Read(account.Value.Span).StorageRoot;
                if (storageRoot != Hash256.EmptyTrieRoot) _storage[(root, account.Key)] = Leaves(new PatriciaTrie(nodes, storageRoot));
            }
        }
        ExternalAccount = Old.Index.External.Single().Account;
    }

    public static ChunkFixture Instance => LazyInstance.Value;

    public MemoryNodeStore Nodes { get; }

    public Hash256 OldRoot { get; }

    public Hash256 NewRoot { get; }

    public EpochAnchor OldEpoch { get; }

    public EpochAnchor NewEpoch { get; }

    /// <summary>Serves the older epoch.</summary>
    public ChunkProducer Old { get; }

    /// <summary>Serves the newer epoch.</summary>
    public ChunkProducer New { get; }

    /// <summary>The one account with external storage.</summary>
    public Hash256 ExternalAccount { get; }

    /// <summary>Chunks the seeds are made of: every account chunk at depth 1, a few at depth 2, and the external
    /// storage at depths 0 and 1.</summary>
    public IEnumerable<ChunkId> SeedChunks()
    {
        var depth1 = new KeyspacePartition(1);
        for (ulong i = 0; i < depth1.ChunkCount; i++) yield return depth1.ChunkAt(i);
        var depth2 = new KeyspacePartition(2);
        foreach (ulong i in new ulong[] { 0, 0x5a, 0xff }) yield return depth2.ChunkAt(i);
        yield return new KeyspacePartition(0, ExternalAccount).ChunkAt(0);
        var storage1 = new KeyspacePartition(1, ExternalAccount);
        foreach (ulong i in new ulong[] { 0, 7, 15 }) yield return storage1.ChunkAt(i);
    }

    /// <summary>The true leaves of <paramref name="chunk"/> under <paramref name="root"/> (one of the two roots):
    /// account values for an account chunk, slot values for a storage chunk; empty for an account without storage.</summary>
    public IReadOnlyList<TrieLeaf> Truth(Hash256 root, ChunkId chunk)
    {
        IReadOnlyList<TrieLeaf> all = chunk.Account is { } account
            ? _storage.GetValueOrDefault((root, account), [])
            : _accounts[root];
        return [.. all.Where(leaf => chunk.Range.Contains(leaf.Key))];
    }

    /// <summary>True when two leaf lists hold the same keys and values in the same order.</summary>
    public static bool Same(IReadOnlyList<TrieLeaf> a, IReadOnlyList<TrieLeaf> b) =>
        a.Count == b.Count && a.Zip(b).All(pair => pair.First.Key == pair.Second.Key && pair.First.Value.Span.SequenceEqual(pair.Second.Value.Span));

    private static List<TrieLeaf> Leaves(PatriciaTrie trie) => [.. trie.Enumerate().Select(static entry => new TrieLeaf(new Hash256(entry.Key), entry.Value))];

    private static Hash256 RandomHash(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    private static Hash256 Hash(byte fill)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Fill(fill);
        return new Hash256(bytes);
    }

    private static byte[] Account(ulong nonce, ulong balance, Hash256 storageRoot) =>
        new Account(nonce, balance, storageRoot, Hash256.EmptyKeccak).Encode();

    private static byte[] Slot(ulong value)
    {
        Span<byte> output = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        return output[..StorageSlot.EncodeValue(value, output)].ToArray();
    }
}
