namespace Mgr.Node.Storage.RocksDb;

/// <summary>
/// The node's store on RocksDB: one column family per <see cref="Schema.Columns"/> entry, schema version checked
/// (and stamped on a new store) when opened. Thread-safe; see <see cref="IKeyValueStore"/>.
/// </summary>
/// <remarks>Opening fails with <see cref="SchemaVersionException"/> for a store written by a newer or unknown
/// schema, and with <see cref="StorageException"/> for RocksDB errors (path is a file, no space, read-only, locked
/// by another process).</remarks>
public sealed class RocksDbStore : IKeyValueStore
{
    private readonly RocksColumnFamily[] _families;

    private RocksDbStore(RocksDatabase database, IReadOnlyList<StoreColumn> columns)
    {
        Database = database;
        _families = new RocksColumnFamily[columns.Count];
        foreach (StoreColumn column in columns) _families[column.Id] = database.GetColumnFamily(column.Name);
    }

    /// <summary>The underlying database, for properties, flushes and tests.</summary>
    public RocksDatabase Database { get; }

    public string Path => Database.Path;

    /// <summary>Opens the existing store in <paramref name="path"/> for reading only, beside a running node that holds it
    /// (<see cref="RocksDbOptions.ReadOnly"/>): what <c>mgr status</c> uses.</summary>
    public static RocksDbStore OpenReadOnly(string path) => Open(path, RocksDbOptions.Default with { ReadOnly = true });

    /// <summary>Opens or creates the store in directory <paramref name="path"/>.</summary>
    public static RocksDbStore Open(string path, RocksDbOptions? options = null)
    {
        options ??= RocksDbOptions.Default;
        RocksDatabase database = RocksDatabase.Open(path, options, Schema.Columns.Select(column => column.Name));
        try
        {
            string scratch = System.IO.Path.Combine(database.Path, RocksDbSortedLoad.ScratchFolderName);
            if (!options.ReadOnly && Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true); // a crashed load; we hold the lock
            IReadOnlyList<string> families = database.ColumnFamilyNames;
            foreach (StoreColumn column in Schema.Columns)
                if (!families.Contains(column.Name))
                    throw new StorageException($"The store at '{database.Path}' has no column '{column.Name}' yet; open it for writing once (start the node) to add it.");
            var store = new RocksDbStore(database, Schema.Columns);
            SchemaVersion.EnsureCompatible(store);
            return store;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
        => Database.TryGet(Family(column), key, destination, out valueLength);

    public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
        => new RocksDbRangeCursor(Database.CreateIterator(Family(column), lowerBound, upperBound), lowerBound);

    public IWriteBatch BeginBatch()
    {
        Database.ThrowIfDisposed();
        return new RocksDbWriteBatch(this);
    }

    public IStoreSnapshot OpenSnapshot() => new RocksDbStoreSnapshot(this, Database.CreateSnapshot());

    public ISortedLoad BeginSortedLoad(StoreColumn column) => new RocksDbSortedLoad(Database, Family(column));

    /// <summary>Flushes every memtable to SST files.</summary>
    public void Flush() => Database.Flush();

    public void Dispose() => Database.Dispose();

    internal RocksColumnFamily Family(StoreColumn column)
    {
        if ((uint)column.Id >= (uint)_families.Length || _families[column.Id].Name != column.Name)
            throw new ArgumentException($"Column '{column.Name}' (id {column.Id}) is not part of this store's schema.", nameof(column));
        return _families[column.Id];
    }
}
