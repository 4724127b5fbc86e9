using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>What a seeder derives once per epoch from the boundary state: the account chunk depth
/// (spec/mgr-protocol.md §5.2, counting account leaves plus inline storage leaves) and the accounts with external
/// storage, ascending, with their own depths. A pure function of the state root.</summary>
public sealed class EpochIndex
{
    private readonly SortedDictionary<Hash256, ExternalStorage> _external;

    private EpochIndex(Hash256 stateRoot, long accounts, long inlineSlots, SortedDictionary<Hash256, ExternalStorage> external, int depth)
    {
        StateRoot = stateRoot;
        AccountCount = accounts;
        InlineSlotCount = inlineSlots;
        _external = external;
        Depth = depth;
    }

    /// <summary>The state root indexed.</summary>
    public Hash256 StateRoot { get; }

    /// <summary>Account leaves in the state.</summary>
    public long AccountCount { get; }

    /// <summary>Storage leaves of accounts whose storage is inline.</summary>
    public long InlineSlotCount { get; }

    /// <summary>The account chunk depth every honest seeder of this state selects.</summary>
    public int Depth { get; }

    /// <summary>Accounts with external storage, ascending by account hash.</summary>
    public IEnumerable<ExternalStorage> External => _external.Values;

    /// <summary>The external storage of <paramref name="account"/>, if it has any.</summary>
    public bool TryGetExternal(Hash256 account, out ExternalStorage? storage) => _external.TryGetValue(account, out storage);

    /// <summary>External storage accounts inside <paramref name="range"/> of the account keyspace, ascending.</summary>
    public IEnumerable<ExternalStorage> ExternalIn(Mgr.Protocol.Ranges.KeyRange range) =>
        _external.Values.Where(storage => range.Contains(storage.Account));

    /// <summary>Walks the whole state under <paramref name="stateRoot"/> once. Depths follow the protocol's leaf target
    /// (<see cref="Limits.TargetLeavesPerChunk"/>) unless <paramref name="targetLeavesPerChunk"/> says otherwise (a
    /// scaled-down simulated state; every node of one network must use the same target).</summary>
    /// <exception cref="Mgr.Trie.Nodes.TrieException">A node of the state is missing from <paramref name="nodes"/>.</exception>
    public static EpochIndex Build(INodeStore nodes, Hash256 stateRoot, int targetLeavesPerChunk = Limits.TargetLeavesPerChunk)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetLeavesPerChunk, 1);
        long accounts = 0, inlineSlots = 0;
        var external = new SortedDictionary<Hash256, ExternalStorage>();
        var slotCounts = new Dictionary<Hash256, long>();
        foreach (TrieEntry entry in new PatriciaTrie(nodes, stateRoot).Enumerate())
        {
            accounts++;
            Hash256 storageRoot = AccountValue.Read(entry.Value).StorageRoot;
            if (storageRoot == Hash256.EmptyTrieRoot) continue;
            if (!slotCounts.TryGetValue(storageRoot, out long slots))
            {
                slots = new PatriciaTrie(nodes, storageRoot).Enumerate().LongCount();
                slotCounts[storageRoot] = slots;
            }
            if (slots <= Limits.InlineStorageMaxSlots)
            {
                inlineSlots += slots;
                continue;
            }
            var account = new Hash256(entry.Key);
            external[account] = new ExternalStorage(account, storageRoot, slots, ChunkDepth.Select((ulong)slots, targetLeavesPerChunk));
        }
        return new EpochIndex(stateRoot, accounts, inlineSlots, external, ChunkDepth.Select((ulong)(accounts + inlineSlots), targetLeavesPerChunk));
    }

    /// <summary>An index of what a leecher has learned from verified account leaves: the depth it adopted and the
    /// external storage accounts of the chunks it holds (their leaf counts unknown, 0). Enough to produce the chunks it
    /// holds again for other peers; <see cref="AccountCount"/> and <see cref="InlineSlotCount"/> are 0.</summary>
    public static EpochIndex OfKnown(Hash256 stateRoot, int depth, IEnumerable<ExternalStorage> external)
    {
        ArgumentNullException.ThrowIfNull(external);
        var known = new SortedDictionary<Hash256, ExternalStorage>();
        foreach (ExternalStorage storage in external) known[storage.Account] = storage;
        return new EpochIndex(stateRoot, 0, 0, known, depth);
    }
}
