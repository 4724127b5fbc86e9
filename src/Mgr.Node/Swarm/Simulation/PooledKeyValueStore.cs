using Mgr.Node.Storage;

namespace Mgr.Node.Swarm.Simulation;

/// <summary>A simulated node's <see cref="IKeyValueStore"/> over a <see cref="SharedEntryPool"/>: the same contract as
/// <see cref="InMemoryKeyValueStore"/> (atomic batches, snapshots, ordered iteration, sorted loads) but the node owns only
/// a bitset of the pooled entries it holds, so a thousand nodes holding the same state cost one copy plus a bit each.
/// Only the chain and state columns are pooled (every node stores the same entries there); a node's own bookkeeping
/// (sync progress, checkpoints, penalties, …) differs per node and is kept in an <see cref="InMemoryKeyValueStore"/> of its
/// own, where a lookup does not have to step past the values every other node wrote under the same key.</summary>
/// <remarks>Thread-safe through the pool's lock, which also covers the node's own store, so a batch and a snapshot span
/// both. Cursors over pooled columns materialise their range when created.</remarks>
public sealed class PooledKeyValueStore(SharedEntryPool pool) : IKeyValueStore
{
    private readonly SharedEntryPool _pool = pool ?? throw new ArgumentNullException(nameof(pool));
    private ulong[] _held = new ulong[64];
    private readonly InMemoryKeyValueStore _own = new();
    private bool _disposed;

    /// <summary>True for the columns whose entries are pooled: what every node of a swarm stores alike.</summary>
    public static bool IsPooled(StoreColumn column) =>
        column == Schema.TrieNodes || column == Schema.Accounts || column == Schema.StorageSlots || column == Schema.Code
        || column == Schema.Headers || column == Schema.HeaderNumbers || column == Schema.CanonicalHashes
        || column == Schema.StateDiffs || column == Schema.BackwardDiffs;

    public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        lock (_pool.Sync)
        {
            ThrowIfDisposed();
            return IsPooled(column) ? TryGet(_held, column, key, destination, out valueLength) : _own.TryGet(column, key, destination, out valueLength);
        }
    }

    public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
    {
        lock (_pool.Sync)
        {
            ThrowIfDisposed();
            return IsPooled(column) ? Collect(_held, column, lowerBound, upperBound) : _own.Iterate(column, lowerBound, upperBound);
        }
    }

    public IWriteBatch BeginBatch()
    {
        ThrowIfDisposed();
        return new Batch(this);
    }

    public IStoreSnapshot OpenSnapshot()
    {
        lock (_pool.Sync)
        {
            ThrowIfDisposed();
            return new Snapshot(this, (ulong[])_held.Clone(), _own.OpenSnapshot());
        }
    }

    public ISortedLoad BeginSortedLoad(StoreColumn column)
    {
        ThrowIfDisposed();
        return new SortedLoad(this, column);
    }

    public void Dispose()
    {
        _disposed = true;
        _own.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private bool TryGet(ulong[] held, StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        valueLength = 0;
        if (_pool.Slot(column, key, create: false) is not { } slot || HeldVariant(held, slot) is not { } value) return false;
        valueLength = value.Length;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return true;
    }

    private Cursor Collect(ulong[] held, StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
    {
        var entries = new List<(byte[] Key, byte[] Value)>();
        foreach (SharedEntryPool.KeySlot slot in _pool.Range(column, lowerBound.ToArray(), upperBound.ToArray()))
            if (HeldVariant(held, slot) is { } value) entries.Add((slot.Key, value));
        return new Cursor(entries);
    }

    private static byte[]? HeldVariant(ulong[] held, SharedEntryPool.KeySlot slot)
    {
        foreach ((byte[] value, int id) in slot.Variants)
            if (IsSet(held, id)) return value;
        return null;
    }

    private void Apply(List<Operation> operations)
    {
        lock (_pool.Sync)
        {
            ThrowIfDisposed();
            using IWriteBatch own = _own.BeginBatch();
            foreach (Operation operation in operations)
            {
                if (!IsPooled(operation.Column)) AddTo(own, operation);
                else if (operation.Value is { } value) Put(operation.Column, operation.Key, value);
                else if (operation.UpperKey is { } upper)
                {
                    foreach (SharedEntryPool.KeySlot slot in _pool.Range(operation.Column, operation.Key, upper).ToList()) Clear(slot);
                }
                else if (_pool.Slot(operation.Column, operation.Key, create: false) is { } slot) Clear(slot);
            }
            if (own.Count > 0) own.Commit();
        }
    }

    private static void AddTo(IWriteBatch batch, Operation operation)
    {
        if (operation.Value is { } value) batch.Put(operation.Column, operation.Key, value);
        else if (operation.UpperKey is { } upper) batch.DeleteRange(operation.Column, operation.Key, upper);
        else batch.Delete(operation.Column, operation.Key);
    }

    private void Put(StoreColumn column, byte[] key, byte[] value)
    {
        SharedEntryPool.KeySlot slot = _pool.Slot(column, key, create: true)!;
        int id = _pool.Variant(slot, value);
        Clear(slot);
        int word = id >> 6;
        if (word >= _held.Length) Array.Resize(ref _held, Math.Max(word + 1, _held.Length * 2));
        _held[word] |= 1UL << (id & 63);
    }

    private void Clear(SharedEntryPool.KeySlot slot)
    {
        foreach ((_, int id) in slot.Variants)
            if (id >> 6 < _held.Length) _held[id >> 6] &= ~(1UL << (id & 63));
    }

    private static bool IsSet(ulong[] held, int id) => id >> 6 < held.Length && (held[id >> 6] & (1UL << (id & 63))) != 0;

    private readonly record struct Operation(StoreColumn Column, byte[] Key, byte[]? Value, byte[]? UpperKey);

    private sealed class Batch(PooledKeyValueStore store) : IWriteBatch
    {
        private readonly List<Operation> _operations = [];
        private bool _committed;

        public int Count => _operations.Count;

        public void Put(StoreColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            Add(new Operation(column, key.ToArray(), value.ToArray(), null));

        public void Delete(StoreColumn column, ReadOnlySpan<byte> key) => Add(new Operation(column, key.ToArray(), null, null));

        public void DeleteRange(StoreColumn column, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> toKeyExclusive)
        {
            int order = fromKey.SequenceCompareTo(toKeyExclusive);
            if (order > 0) throw new ArgumentException("DeleteRange's start is after its end.", nameof(toKeyExclusive));
            if (order == 0) return;
            Add(new Operation(column, fromKey.ToArray(), null, toKeyExclusive.ToArray()));
        }

        public void Commit()
        {
            if (_committed) throw new InvalidOperationException("The batch was already committed.");
            _committed = true;
            store.Apply(_operations);
        }

        public void Dispose() => _operations.Clear();

        private void Add(Operation operation)
        {
            if (_committed) throw new InvalidOperationException("The batch was already committed.");
            _operations.Add(operation);
        }
    }

    private sealed class SortedLoad(PooledKeyValueStore store, StoreColumn column) : ISortedLoad
    {
        private readonly List<Operation> _operations = [];
        private byte[]? _last;
        private bool _completed;

        public long Count => _operations.Count;

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (_completed) throw new InvalidOperationException("The load was already completed.");
            if (_last is not null && key.SequenceCompareTo(_last) <= 0) throw new ArgumentException("Keys of a sorted load must ascend strictly.", nameof(key));
            _last = key.ToArray();
            _operations.Add(new Operation(column, _last, value.ToArray(), null));
        }

        public void Complete()
        {
            if (_completed) throw new InvalidOperationException("The load was already completed.");
            _completed = true;
            store.Apply(_operations);
        }

        public void Dispose() => _operations.Clear();
    }

    private sealed class Snapshot(PooledKeyValueStore store, ulong[] held, IStoreSnapshot own) : IStoreSnapshot
    {
        private bool _disposed;

        public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
        {
            lock (store._pool.Sync)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return IsPooled(column) ? store.TryGet(held, column, key, destination, out valueLength) : own.TryGet(column, key, destination, out valueLength);
            }
        }

        public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
        {
            lock (store._pool.Sync)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return IsPooled(column) ? store.Collect(held, column, lowerBound, upperBound) : own.Iterate(column, lowerBound, upperBound);
            }
        }

        public void Dispose()
        {
            _disposed = true;
            own.Dispose();
        }
    }

    private sealed class Cursor(List<(byte[] Key, byte[] Value)> entries) : IRangeCursor
    {
        private int _index = -1;

        public bool MoveNext() => ++_index < entries.Count;

        public ReadOnlySpan<byte> Key => entries[_index].Key;

        public ReadOnlySpan<byte> Value => entries[_index].Value;

        public void Dispose() => _index = entries.Count;
    }
}
