using Mgr.Node.Storage;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Storage;

namespace Mgr.Node.Cli;

/// <summary>Stores a genesis block in a node store: the whole genesis state (flat accounts and storage,
/// every trie node, the code, and the sync-progress record that the full key space is held at the genesis
/// root) and the genesis header as the canonical block 0 — all in one atomic batch.</summary>
/// <remarks>Refuses (without writing) a store whose canonical block 0 is a different genesis; storing the
/// same genesis again changes nothing.</remarks>
internal static class GenesisStorage
{
    /// <summary>What <see cref="Store"/> did, and the genesis header.</summary>
    public readonly record struct Outcome(BlockHeader Header, bool AlreadyStored, Hash256? ConflictingGenesis);

    /// <summary>Builds the genesis of <paramref name="spec"/> and writes it into <paramref name="store"/>.</summary>
    public static Outcome Store(IKeyValueStore store, GenesisSpec spec)
    {
        ArgumentNullException.ThrowIfNull(store);
        var nodes = new NodeCollector();
        BlockHeader header = GenesisBuilder.Build(spec, nodes);
        if (HeaderStore.TryReadCanonical(store, header.Number, out Hash256 existing))
        {
            return existing == header.Hash ? new Outcome(header, true, null) : new Outcome(header, false, existing);
        }

        var accounts = new List<FlatLeaf>(spec.Alloc.Count);
        var slots = new List<StorageSlotLeaf>();
        using IWriteBatch batch = store.BeginBatch();
        foreach ((Address address, GenesisAccount entry) in spec.Alloc)
        {
            Hash256 accountKey = address.Hash();
            accounts.Add(new FlatLeaf(accountKey, GenesisBuilder.AccountOf(entry).Encode()));
            foreach ((Hash256 slot, UInt256 word) in entry.Storage)
            {
                var value = new byte[StorageSlot.MaxEncodedValueLength];
                int length = StorageSlot.EncodeValue(word, value);
                if (length > 0) slots.Add(new StorageSlotLeaf(accountKey, StorageSlot.KeyOf(slot), value.AsMemory(0, length)));
            }
            if (!entry.Code.IsEmpty) CodeStore.Write(batch, Account.CodeHashOf(entry.Code.Span), entry.Code.Span);
        }
        accounts.Sort((a, b) => a.Key.CompareTo(b.Key));
        ChunkStore.Write(store, batch, new VerifiedChunk(header.StateRoot, KeyInterval.All, accounts, slots, nodes.Nodes));
        HeaderStore.Write(batch, header.Number, header.Hash, header.Encode());
        HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
        batch.Commit();
        return new Outcome(header, false, null);
    }

    // Keeps a copy of every node the genesis tries emit.
    private sealed class NodeCollector : INodeSink
    {
        public List<TrieNodeBlob> Nodes { get; } = [];

        public void Put(Hash256 hash, ReadOnlySpan<byte> rlp) => Nodes.Add(new TrieNodeBlob(hash, rlp.ToArray()));
    }
}
