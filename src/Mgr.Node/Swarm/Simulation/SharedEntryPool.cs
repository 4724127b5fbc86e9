using Mgr.Node.Storage;

namespace Mgr.Node.Swarm.Simulation;

/// <summary>The distinct (column, key, value) entries of many <see cref="PooledKeyValueStore"/>s, each kept once: a
/// thousand simulated nodes that store the same state share one copy of it, and each node keeps only a bit per entry.</summary>
/// <remarks>Entries are never removed (a node's delete clears its bit), so ids stay valid and snapshots are bitset copies.
/// Thread-safe through one lock; meant for the single-threaded simulator.</remarks>
public sealed class SharedEntryPool
{
    private static readonly Comparer<byte[]> KeyOrder = Comparer<byte[]>.Create(static (a, b) => a.AsSpan().SequenceCompareTo(b));

    private readonly Dictionary<int, SortedList<byte[], KeySlot>> _columns = [];
    private readonly Lock _lock = new();
    private int _nextId;

    /// <summary>Distinct entries pooled so far.</summary>
    public int EntryCount => _nextId;

    internal Lock Sync => _lock;

    // The slot of `key` in `column`, created when `create` is set (null otherwise when absent). Caller holds the lock.
    internal KeySlot? Slot(StoreColumn column, ReadOnlySpan<byte> key, bool create)
    {
        SortedList<byte[], KeySlot> keys = Column(column);
        int index = LowerBound(keys, key);
        if (index < keys.Count && keys.Keys[index].AsSpan().SequenceEqual(key)) return keys.Values[index];
        if (!create) return null;
        byte[] copy = key.ToArray();
        var slot = new KeySlot(copy);
        keys.Add(copy, slot);
        return slot;
    }

    // The id of `value` under `slot`, pooling it if new. Caller holds the lock.
    internal int Variant(KeySlot slot, ReadOnlySpan<byte> value)
    {
        foreach ((byte[] known, int id) in slot.Variants)
            if (known.AsSpan().SequenceEqual(value)) return id;
        int next = _nextId++;
        slot.Variants.Add((value.ToArray(), next));
        return next;
    }

    // Slots of `column` with lower ≤ key < upper (empty bound = open), ascending. Caller holds the lock.
    internal IEnumerable<KeySlot> Range(StoreColumn column, byte[] lower, byte[] upper)
    {
        SortedList<byte[], KeySlot> keys = Column(column);
        for (int i = lower.Length == 0 ? 0 : LowerBound(keys, lower); i < keys.Count; i++)
        {
            KeySlot slot = keys.Values[i];
            if (upper.Length > 0 && slot.Key.AsSpan().SequenceCompareTo(upper) >= 0) yield break;
            yield return slot;
        }
    }

    private SortedList<byte[], KeySlot> Column(StoreColumn column)
    {
        if (!_columns.TryGetValue(column.Id, out SortedList<byte[], KeySlot>? keys)) _columns[column.Id] = keys = new SortedList<byte[], KeySlot>(KeyOrder);
        return keys;
    }

    private static int LowerBound(SortedList<byte[], KeySlot> keys, ReadOnlySpan<byte> key)
    {
        IList<byte[]> sorted = keys.Keys;
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (sorted[middle].AsSpan().SequenceCompareTo(key) < 0) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>One pooled key and the distinct values nodes stored under it, each with its entry id.</summary>
    internal sealed class KeySlot(byte[] key)
    {
        public byte[] Key { get; } = key;

        public List<(byte[] Value, int Id)> Variants { get; } = new(1);
    }
}
