using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Follow;

/// <summary>The state of one block as an <see cref="IKeyValueReader"/>: the in-memory layers from that block down to the
/// persistent state, then the store. Point reads of accounts, slots, trie nodes and code see the newest layer that
/// decides the key; range reads of accounts and slots merge the layers with the store in key order; every other
/// column is the store's.</summary>
/// <remarks>
/// <para>This is what <see cref="Mgr.Node.State.StateApplier"/> verifies a child block against, and what callers read
/// the head state through (<see cref="TryReadAccount"/>, <see cref="ReadSlot"/>). Range reads of the hash-keyed columns
/// (trie nodes, code) are not layered and throw <see cref="NotSupportedException"/>: those are read by hash.</para>
/// <para>Valid until the <see cref="LayerTree"/> changes (a block added, flattened or dropped); read it on the
/// tree's owner thread. Each range read materialises the layers' entries in the range (bounded by the layers' size).</para>
/// </remarks>
public sealed class LayeredStateReader : IKeyValueReader
{
    private readonly IKeyValueReader _store;
    private readonly DiffLayer? _tip;
    private readonly TrieNodePool _nodes;

    internal LayeredStateReader(IKeyValueReader store, DiffLayer? tip, TrieNodePool nodes)
    {
        _store = store;
        _tip = tip;
        _nodes = nodes;
    }

    /// <summary>The account at this block, or false when it does not exist.</summary>
    public bool TryReadAccount(Hash256 address, out Account account)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        address.CopyTo(key);
        Span<byte> value = stackalloc byte[Account.MaxEncodedLength];
        account = default;
        if (!TryGet(Schema.Accounts, key, value, out int length)) return false;
        if (length > value.Length) throw new StorageException($"Corrupt flat account {address}: {length} bytes.");
        account = Account.Decode(value[..length]);
        return true;
    }

    /// <summary>The word in a storage slot at this block (zero when absent).</summary>
    public UInt256 ReadSlot(Hash256 address, Hash256 slot)
    {
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        new SlotKey(address, slot).WriteTo(key);
        Span<byte> value = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        if (!TryGet(Schema.StorageSlots, key, value, out int length)) return UInt256.Zero;
        if (length > value.Length) throw new StorageException($"Corrupt flat slot {address}/{slot}: {length} bytes.");
        return StorageSlot.DecodeValue(value[..length]);
    }

    public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        if (_tip is not null)
        {
            if (column == Schema.Accounts && key.Length == Hash256.Length)
            {
                var account = new Hash256(key);
                for (DiffLayer? layer = _tip; layer is not null; layer = layer.Parent)
                {
                    if (layer.Writes.TryGetAccount(account, out byte[]? value)) return Copy(value, destination, out valueLength);
                }
            }
            else if (column == Schema.StorageSlots && key.Length == Schema.StorageSlotKeyLength)
            {
                SlotKey slot = SlotKey.Read(key);
                for (DiffLayer? layer = _tip; layer is not null; layer = layer.Parent)
                {
                    if (layer.Writes.TryGetSlot(slot, out byte[]? value)) return Copy(value, destination, out valueLength);
                }
            }
            else if (column == Schema.TrieNodes && key.Length == Hash256.Length)
            {
                if (_nodes.TryGet(new Hash256(key), out byte[] node)) return Copy(node, destination, out valueLength);
            }
            else if (column == Schema.Code && key.Length == Hash256.Length)
            {
                var hash = new Hash256(key);
                for (DiffLayer? layer = _tip; layer is not null; layer = layer.Parent)
                {
                    if (layer.Writes.Code.TryGetValue(hash, out byte[]? code)) return Copy(code, destination, out valueLength);
                }
            }
        }
        return _store.TryGet(column, key, destination, out valueLength);
    }

    public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
    {
        if (_tip is null) return _store.Iterate(column, lowerBound, upperBound);
        if (column == Schema.TrieNodes || column == Schema.Code)
            throw new NotSupportedException($"Column '{column.Name}' is read by hash: a layered view does not iterate it.");
        if (column != Schema.Accounts && column != Schema.StorageSlots) return _store.Iterate(column, lowerBound, upperBound);
        return column == Schema.Accounts ? AccountsCursor(lowerBound, upperBound) : SlotsCursor(lowerBound, upperBound);
    }

    private MergedRangeCursor AccountsCursor(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        var changed = new SortedDictionary<Hash256, byte[]?>();
        Span<byte> key = stackalloc byte[Hash256.Length];
        foreach (DiffLayer layer in OldestFirst())
        {
            foreach ((Hash256 account, byte[]? value) in layer.Writes.Accounts)
            {
                account.CopyTo(key);
                if (InRange(key, lower, upper)) changed[account] = value;
            }
        }
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        foreach ((Hash256 account, byte[]? value) in changed)
        {
            if (value is not null) entries.Add(new(account.ToArray(), value));
        }
        return new MergedRangeCursor(_store.Iterate(Schema.Accounts, lower, upper), entries,
            storeKey => changed.ContainsKey(new Hash256(storeKey)));
    }

    private MergedRangeCursor SlotsCursor(ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        var changed = new SortedDictionary<SlotKey, byte[]?>();
        var cleared = new HashSet<Hash256>();
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        foreach (DiffLayer layer in OldestFirst())
        {
            // Within a layer, clearing comes before its own slot writes (see LayerWrites.WriteTo).
            foreach (Hash256 account in layer.Writes.ClearedStorage)
            {
                cleared.Add(account);
                foreach (SlotKey earlier in changed.Keys.Where(slot => slot.Account == account).ToList()) changed.Remove(earlier);
            }
            foreach ((SlotKey slot, byte[]? value) in layer.Writes.Slots)
            {
                slot.WriteTo(key);
                if (InRange(key, lower, upper)) changed[slot] = value;
            }
        }
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        foreach ((SlotKey slot, byte[]? value) in changed)
        {
            if (value is null) continue;
            var bytes = new byte[Schema.StorageSlotKeyLength];
            slot.WriteTo(bytes);
            entries.Add(new(bytes, value));
        }
        return new MergedRangeCursor(_store.Iterate(Schema.StorageSlots, lower, upper), entries, storeKey =>
        {
            SlotKey slot = SlotKey.Read(storeKey);
            return cleared.Contains(slot.Account) || changed.ContainsKey(slot);
        });
    }

    private List<DiffLayer> OldestFirst()
    {
        var layers = new List<DiffLayer>();
        for (DiffLayer? layer = _tip; layer is not null; layer = layer.Parent) layers.Add(layer);
        layers.Reverse();
        return layers;
    }

    private static bool InRange(ReadOnlySpan<byte> key, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper) =>
        (lower.IsEmpty || key.SequenceCompareTo(lower) >= 0) && (upper.IsEmpty || key.SequenceCompareTo(upper) < 0);

    private static bool Copy(byte[]? value, Span<byte> destination, out int valueLength)
    {
        if (value is null)
        {
            valueLength = 0;
            return false;
        }
        valueLength = value.Length;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return true;
    }
}
