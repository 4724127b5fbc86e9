using System.Collections.Immutable;

namespace Mgr.Node.Storage;

/// <summary>
/// An <see cref="IKeyValueStore"/> held in memory, for unit tests and a simulated node's own bookkeeping
/// (<see cref="Swarm.Simulation.PooledKeyValueStore"/>) only: same contract as the RocksDB store
/// (atomic batches, snapshots, bounded ordered iteration, sorted loads), none of its durability.
/// Thread-safe: commits swap immutable maps under a lock, so snapshots and cursors are free and consistent.
/// </summary>
public sealed class InMemoryKeyValueStore : IKeyValueStore
{
    private static readonly Comparer<byte[]> KeyOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    private readonly IReadOnlyList<StoreColumn> _schema;
    private readonly Lock _lock = new();
    private ImmutableSortedDictionary<byte[], byte[]>[] _columns;
    private volatile bool _disposed;

    /// <summary>A store with the columns of <paramref name="columns"/> (default: <see cref="Schema.Columns"/>).</summary>
    public InMemoryKeyValueStore(IReadOnlyList<StoreColumn>? columns = null)
    {
        _schema = columns ?? Schema.Columns;
        _columns = new ImmutableSortedDictionary<byte[], byte[]>[_schema.Count];
        for (int i = 0; i < _columns.Length; i++) _columns[i] = ImmutableSortedDictionary.Create<byte[], byte[]>(KeyOrder);
    }

    public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
        => TryGet(Current(), column, key, destination, out valueLength);

    public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
        => new Cursor(Current()[Index(column)], lowerBound, upperBound);

    public IWriteBatch BeginBatch()
    {
        ThrowIfDisposed();
        return new Batch(this);
    }

    public IStoreSnapshot OpenSnapshot() => new Snapshot(this, Current());

    public ISortedLoad BeginSortedLoad(StoreColumn column)
    {
        ThrowIfDisposed();
        return new SortedLoad(this, column);
    }

    public void Dispose() => _disposed = true;

    private ImmutableSortedDictionary<byte[], byte[]>[] Current()
    {
        ThrowIfDisposed();
        return Volatile.Read(ref _columns);
    }

    private int Index(StoreColumn column)
    {
        if ((uint)column.Id >= (uint)_schema.Count || _schema[column.Id].Name != column.Name)
            throw new ArgumentException($"Column '{column.Name}' (id {column.Id}) is not part of this store's schema.", nameof(column));
        return column.Id;
    }

    private void Apply(List<Operation> operations)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var next = (ImmutableSortedDictionary<byte[], byte[]>[])_columns.Clone();
            foreach (Operation operation in operations)
            {
                ImmutableSortedDictionary<byte[], byte[]> map = next[operation.Column];
                next[operation.Column] = operation.Kind switch
                {
                    OperationKind.Put => map.SetItem(operation.Key, operation.Value!),
                    OperationKind.Delete => map.Remove(operation.Key),
                    _ => map.RemoveRange(map.Keys.Where(key => InRange(key, operation.Key, operation.Value!)).ToList()),
                };
            }
            Volatile.Write(ref _columns, next);
        }
    }

    private bool TryGet(ImmutableSortedDictionary<byte[], byte[]>[] state, StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
    {
        if (!state[Index(column)].TryGetValue(key.ToArray(), out byte[]? value))
        {
            valueLength = 0;
            return false;
        }
        valueLength = value.Length;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return true;
    }

    private static bool InRange(byte[] key, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
        => (lower.IsEmpty || key.AsSpan().SequenceCompareTo(lower) >= 0) && (upper.IsEmpty || key.AsSpan().SequenceCompareTo(upper) < 0);

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(InMemoryKeyValueStore), "This in-memory store has been disposed.");
    }

    private enum OperationKind { Put, Delete, DeleteRange }

    // For DeleteRange, Key is the start and Value the (exclusive) end.
    private readonly record struct Operation(int Column, OperationKind Kind, byte[] Key, byte[]? Value);

    private sealed class Batch(InMemoryKeyValueStore store) : IWriteBatch
    {
        private readonly List<Operation> _operations = [];
        private bool _committed;
        private bool _disposed;

        public int Count => _operations.Count;

        public void Put(StoreColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
            => Add(new Operation(store.Index(column), OperationKind.Put, key.ToArray(), value.ToArray()));

        public void Delete(StoreColumn column, ReadOnlySpan<byte> key)
            => Add(new Operation(store.Index(column), OperationKind.Delete, key.ToArray(), null));

        public void DeleteRange(StoreColumn column, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> toKeyExclusive)
        {
            if (toKeyExclusive.SequenceCompareTo(fromKey) < 0)
                throw new ArgumentException("A range to delete must not end before it starts.", nameof(toKeyExclusive));
            Add(new Operation(store.Index(column), OperationKind.DeleteRange, fromKey.ToArray(), toKeyExclusive.ToArray()));
        }

        public void Commit()
        {
            CheckOpen();
            store.Apply(_operations);
            _committed = true;
        }

        public void Dispose() => _disposed = true;

        private void Add(Operation operation)
        {
            CheckOpen();
            _operations.Add(operation);
        }

        private void CheckOpen()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IWriteBatch), "This write batch has been disposed.");
            if (_committed) throw new InvalidOperationException("This write batch has already been committed.");
        }
    }

    private sealed class Snapshot(InMemoryKeyValueStore store, ImmutableSortedDictionary<byte[], byte[]>[] state) : IStoreSnapshot
    {
        private bool _disposed;

        public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
        {
            ThrowIfDisposed();
            return store.TryGet(state, column, key, destination, out valueLength);
        }

        public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
        {
            ThrowIfDisposed();
            return new Cursor(state[store.Index(column)], lowerBound, upperBound);
        }

        public void Dispose() => _disposed = true;

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IStoreSnapshot), "This snapshot has been disposed.");
        }
    }

    private sealed class Cursor : IRangeCursor
    {
        private readonly IEnumerator<KeyValuePair<byte[], byte[]>> _entries;
        private readonly byte[] _upper;
        private bool _valid;
        private bool _disposed;

        public Cursor(ImmutableSortedDictionary<byte[], byte[]> map, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
        {
            byte[] start = lower.ToArray();
            _upper = upper.ToArray();
            _entries = map.SkipWhile(entry => entry.Key.AsSpan().SequenceCompareTo(start) < 0).GetEnumerator();
        }

        public ReadOnlySpan<byte> Key => Entry().Key;

        public ReadOnlySpan<byte> Value => Entry().Value;

        public bool MoveNext()
        {
            ThrowIfDisposed();
            _valid = _entries.MoveNext() && (_upper.Length == 0 || _entries.Current.Key.AsSpan().SequenceCompareTo(_upper) < 0);
            return _valid;
        }

        public void Dispose()
        {
            _disposed = true;
            _entries.Dispose();
        }

        private KeyValuePair<byte[], byte[]> Entry()
        {
            ThrowIfDisposed();
            return _valid ? _entries.Current : throw new InvalidOperationException("The cursor is not positioned on an entry.");
        }

        private void ThrowIfDisposed()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(IRangeCursor), "This cursor has been disposed.");
        }
    }

    private sealed class SortedLoad(InMemoryKeyValueStore store, StoreColumn column) : ISortedLoad
    {
        private readonly int _index = store.Index(column);
        private readonly AscendingKeyCheck _order = new();
        private readonly List<Operation> _operations = [];
        private bool _done;

        public long Count => _operations.Count;

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (_done) throw new InvalidOperationException("This sorted load has already completed.");
            _order.Next(key);
            _operations.Add(new Operation(_index, OperationKind.Put, key.ToArray(), value.ToArray()));
        }

        public void Complete()
        {
            if (_done) throw new InvalidOperationException("This sorted load has already completed.");
            store.Apply(_operations);
            _done = true;
        }

        public void Dispose() => _operations.Clear();
    }
}
