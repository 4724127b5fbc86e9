using System.Buffers;
using System.Runtime.InteropServices;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>
/// An open RocksDB database with its column families: point reads into caller memory, atomic write batches,
/// bounded iterators, snapshots, flushes and SST ingestion.
/// </summary>
/// <remarks>
/// Thread-safe, like RocksDB itself (batches, iterators and SST writers are not). Every RocksDB error becomes a
/// <see cref="StorageException"/> carrying RocksDB's message. After <see cref="Dispose"/> every call throws
/// <see cref="ObjectDisposedException"/>; disposing twice is harmless. The native database really closes once the
/// last iterator or snapshot made from it is disposed too.
/// </remarks>
public sealed unsafe class RocksDatabase : IDisposable
{
    public const string DefaultColumnFamily = "default";

    private readonly DatabaseHandle _db;
    private readonly OptionsHandle _options;
    private readonly ReadOptionsHandle _readOptions;
    private readonly WriteOptionsHandle _writeOptions;
    private readonly WriteOptionsHandle _unloggedWriteOptions;
    private readonly Dictionary<string, RocksColumnFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _familiesLock = new();
    private volatile bool _disposed;

    private RocksDatabase(string path, OptionsHandle options, DatabaseHandle db, bool syncWrites)
    {
        Path = path;
        _options = options;
        _db = db;
        _readOptions = new ReadOptionsHandle();
        _writeOptions = new WriteOptionsHandle();
        RocksDbNative.rocksdb_writeoptions_set_sync(_writeOptions, syncWrites ? (byte)1 : (byte)0);
        _unloggedWriteOptions = new WriteOptionsHandle();
        RocksDbNative.rocksdb_writeoptions_disable_WAL(_unloggedWriteOptions, 1);
    }

    public string Path { get; }

    /// <summary>Names of the open column families (always including <c>default</c>).</summary>
    public IReadOnlyList<string> ColumnFamilyNames
    {
        get
        {
            ThrowIfDisposed();
            lock (_familiesLock) return [.. _families.Keys];
        }
    }

    /// <summary>Opens (or, with <see cref="RocksDbOptions.CreateIfMissing"/>, creates, parent directories included)
    /// the database at <paramref name="path"/> with every column family it already has plus
    /// <paramref name="columnFamilies"/>, creating the missing ones.</summary>
    public static RocksDatabase Open(string path, RocksDbOptions options, IEnumerable<string> columnFamilies)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(columnFamilies);
        string fullPath = System.IO.Path.GetFullPath(path);
        if (File.Exists(fullPath)) throw new StorageException($"Cannot open a RocksDB database at '{fullPath}': it is a file, not a directory.");
        if (options.ReadOnly && !File.Exists(System.IO.Path.Combine(fullPath, "CURRENT")))
            throw new StorageException($"Cannot open '{fullPath}' read-only: there is no RocksDB database there.");
        if (options.CreateIfMissing && !options.ReadOnly) CreateDirectory(fullPath);
        OptionsHandle native = options.CreateNative();
        try
        {
            var names = new List<string> { DefaultColumnFamily };
            if (Directory.Exists(fullPath) && File.Exists(System.IO.Path.Combine(fullPath, "CURRENT")))
                names.AddRange(ListColumnFamilies(native, fullPath));
            if (!options.ReadOnly) names.AddRange(columnFamilies);
            string[] unique = [.. names.Distinct(StringComparer.Ordinal)];
            return OpenNative(fullPath, options, native, unique);
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    /// <summary>The column families stored in the database at <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> ListColumnFamilies(string path)
    {
        using OptionsHandle options = new();
        return ListColumnFamilies(options, System.IO.Path.GetFullPath(path));
    }

    /// <summary>The open column family called <paramref name="name"/>; a <see cref="StorageException"/> if there is none.</summary>
    public RocksColumnFamily GetColumnFamily(string name)
    {
        ThrowIfDisposed();
        lock (_familiesLock)
        {
            return _families.TryGetValue(name, out RocksColumnFamily? family)
                ? family
                : throw new StorageException($"The database at '{Path}' has no open column family '{name}'.");
        }
    }

    /// <summary>Creates a column family, or returns it if it is already open.</summary>
    public RocksColumnFamily CreateColumnFamily(string name)
    {
        ThrowIfDisposed();
        lock (_familiesLock)
        {
            if (_families.TryGetValue(name, out RocksColumnFamily? existing)) return existing;
            nint native = RocksDbNative.rocksdb_create_column_family(_db, _options, name, out nint error);
            RocksDbNative.ThrowIfError(error, $"creating column family '{name}'");
            var family = new RocksColumnFamily(this, name, new ColumnFamilyHandle(native, _db));
            _families.Add(name, family);
            return family;
        }
    }

    /// <summary>Reads the value of <paramref name="key"/> into <paramref name="destination"/> without an
    /// intermediate copy. Returns false if the key is absent. When present, <paramref name="valueLength"/> is the
    /// value's full length and the value is copied only if it fits (check <c>valueLength &lt;= destination.Length</c>).</summary>
    public bool TryGet(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength, RocksSnapshot? snapshot = null)
    {
        nint slice = GetPinned(columnFamily, key, snapshot);
        if (slice == 0)
        {
            valueLength = 0;
            return false;
        }
        try
        {
            byte* value = RocksDbNative.rocksdb_pinnableslice_value(slice, out nuint length);
            valueLength = checked((int)length);
            if (valueLength <= destination.Length) new ReadOnlySpan<byte>(value, valueLength).CopyTo(destination);
            return true;
        }
        finally
        {
            RocksDbNative.rocksdb_pinnableslice_destroy(slice);
        }
    }

    /// <summary>Appends the value of <paramref name="key"/> to <paramref name="destination"/>; false if absent.</summary>
    public bool TryGet(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, IBufferWriter<byte> destination, RocksSnapshot? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        nint slice = GetPinned(columnFamily, key, snapshot);
        if (slice == 0) return false;
        try
        {
            byte* value = RocksDbNative.rocksdb_pinnableslice_value(slice, out nuint length);
            int valueLength = checked((int)length);
            new ReadOnlySpan<byte>(value, valueLength).CopyTo(destination.GetSpan(valueLength));
            destination.Advance(valueLength);
            return true;
        }
        finally
        {
            RocksDbNative.rocksdb_pinnableslice_destroy(slice);
        }
    }

    /// <summary>The value of <paramref name="key"/> as a new array, or null if absent (allocates: prefer TryGet).</summary>
    public byte[]? Get(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, RocksSnapshot? snapshot = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        return TryGet(columnFamily, key, buffer, snapshot) ? buffer.WrittenSpan.ToArray() : null;
    }

    public void Put(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckOwned(columnFamily);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            RocksDbNative.rocksdb_put_cf(_db, _writeOptions, columnFamily.Handle, k, (nuint)key.Length, v, (nuint)value.Length, out nint error);
            RocksDbNative.ThrowIfError(error, "put");
        }
    }

    public void Delete(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key)
    {
        CheckOwned(columnFamily);
        fixed (byte* k = key)
        {
            RocksDbNative.rocksdb_delete_cf(_db, _writeOptions, columnFamily.Handle, k, (nuint)key.Length, out nint error);
            RocksDbNative.ThrowIfError(error, "delete");
        }
    }

    /// <summary>Applies <paramref name="batch"/> atomically. With <paramref name="logged"/> false the write skips the
    /// write-ahead log (bulk loads): it is lost on a crash unless <see cref="Flush"/> ran after it.</summary>
    public void Write(RocksWriteBatch batch, bool logged = true)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        RocksDbNative.rocksdb_write(_db, logged ? _writeOptions : _unloggedWriteOptions, batch.Handle, out nint error);
        RocksDbNative.ThrowIfError(error, "write");
    }

    /// <summary>An iterator over <paramref name="columnFamily"/> limited to keys in [<paramref name="lowerBound"/>,
    /// <paramref name="upperBound"/>) (an empty bound is open), reading <paramref name="snapshot"/> if given.
    /// It starts unpositioned: call <see cref="RocksIterator.SeekToFirst"/> or <see cref="RocksIterator.Seek"/>.</summary>
    public RocksIterator CreateIterator(RocksColumnFamily columnFamily, ReadOnlySpan<byte> lowerBound = default, ReadOnlySpan<byte> upperBound = default, RocksSnapshot? snapshot = null)
    {
        CheckOwned(columnFamily);
        CheckOwned(snapshot);
        return new RocksIterator(_db, columnFamily.Handle, snapshot?.Handle, lowerBound, upperBound);
    }

    public RocksSnapshot CreateSnapshot()
    {
        ThrowIfDisposed();
        return new RocksSnapshot(this, _db);
    }

    /// <summary>Writes the memtables of <paramref name="columnFamily"/> (or of every column family) to SST files
    /// and waits for it, making unlogged writes durable.</summary>
    public void Flush(RocksColumnFamily? columnFamily = null)
    {
        ThrowIfDisposed();
        nint flushOptions = RocksDbNative.rocksdb_flushoptions_create();
        try
        {
            RocksDbNative.rocksdb_flushoptions_set_wait(flushOptions, 1);
            if (columnFamily is not null)
            {
                CheckOwned(columnFamily);
                RocksDbNative.rocksdb_flush_cf(_db, flushOptions, columnFamily.Handle, out nint error);
                RocksDbNative.ThrowIfError(error, $"flushing '{columnFamily.Name}'");
                return;
            }
            RocksColumnFamily[] families;
            lock (_familiesLock) families = [.. _families.Values];
            foreach (RocksColumnFamily family in families)
            {
                RocksDbNative.rocksdb_flush_cf(_db, flushOptions, family.Handle, out nint error);
                RocksDbNative.ThrowIfError(error, $"flushing '{family.Name}'");
            }
        }
        finally
        {
            RocksDbNative.rocksdb_flushoptions_destroy(flushOptions);
        }
    }

    /// <summary>A RocksDB property such as <c>rocksdb.estimate-num-keys</c>, or null if unknown.</summary>
    public string? GetProperty(RocksColumnFamily columnFamily, string name)
    {
        CheckOwned(columnFamily);
        nint value = RocksDbNative.rocksdb_property_value_cf(_db, columnFamily.Handle, name);
        if (value == 0) return null;
        try
        {
            return Marshal.PtrToStringUTF8(value);
        }
        finally
        {
            RocksDbNative.rocksdb_free(value);
        }
    }

    /// <summary>A writer for an SST file at <paramref name="path"/> built with this database's options.</summary>
    public RocksSstFileWriter CreateSstFileWriter(string path)
    {
        ThrowIfDisposed();
        return new RocksSstFileWriter(_options, path);
    }

    /// <summary>Moves finished SST files into <paramref name="columnFamily"/> atomically; entries in them
    /// override older entries for the same keys.</summary>
    public void IngestFiles(RocksColumnFamily columnFamily, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        CheckOwned(columnFamily);
        if (paths.Count == 0) return;
        nint options = RocksDbNative.rocksdb_ingestexternalfileoptions_create();
        var names = new nint[paths.Count];
        try
        {
            RocksDbNative.rocksdb_ingestexternalfileoptions_set_move_files(options, 1);
            for (int i = 0; i < names.Length; i++) names[i] = Marshal.StringToCoTaskMemUTF8(paths[i]);
            fixed (nint* list = names)
            {
                RocksDbNative.rocksdb_ingest_external_file_cf(_db, columnFamily.Handle, list, (nuint)names.Length, options, out nint error);
                RocksDbNative.ThrowIfError(error, "ingesting SST files");
            }
        }
        finally
        {
            foreach (nint name in names) Marshal.FreeCoTaskMem(name);
            RocksDbNative.rocksdb_ingestexternalfileoptions_destroy(options);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        lock (_familiesLock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (RocksColumnFamily family in _families.Values) family.Handle.Dispose();
            _families.Clear();
        }
        _readOptions.Dispose();
        _writeOptions.Dispose();
        _unloggedWriteOptions.Dispose();
        _db.Dispose();
        _options.Dispose();
    }

    private nint GetPinned(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, RocksSnapshot? snapshot)
    {
        CheckOwned(columnFamily);
        CheckOwned(snapshot);
        fixed (byte* k = key)
        {
            nint slice = RocksDbNative.rocksdb_get_pinned_cf(_db, snapshot?.ReadOptions ?? _readOptions, columnFamily.Handle, k, (nuint)key.Length, out nint error);
            RocksDbNative.ThrowIfError(error, "get");
            return slice;
        }
    }

    private void CheckOwned(RocksColumnFamily columnFamily)
    {
        ArgumentNullException.ThrowIfNull(columnFamily);
        ThrowIfDisposed();
        if (!ReferenceEquals(columnFamily.Owner, this))
            throw new ArgumentException($"Column family '{columnFamily.Name}' belongs to another database.", nameof(columnFamily));
    }

    private void CheckOwned(RocksSnapshot? snapshot)
    {
        if (snapshot is null) return;
        snapshot.ThrowIfDisposed();
        if (!ReferenceEquals(snapshot.Owner, this)) throw new ArgumentException("The snapshot belongs to another database.", nameof(snapshot));
    }

    internal void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(RocksDatabase), $"The RocksDB database at '{Path}' has been closed.");
    }

    private static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"Cannot create the database directory '{path}': {e.Message}", e);
        }
    }

    private static RocksDatabase OpenNative(string path, RocksDbOptions settings, OptionsHandle options, string[] families)
    {
        var names = new nint[families.Length];
        var columnOptions = new nint[families.Length];
        var handles = new nint[families.Length];
        bool added = false;
        options.DangerousAddRef(ref added);
        try
        {
            for (int i = 0; i < families.Length; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUTF8(families[i]);
                columnOptions[i] = options.DangerousGetHandle();
            }
            nint db;
            fixed (nint* n = names)
            fixed (nint* o = columnOptions)
            fixed (nint* h = handles)
            {
                nint error;
                db = settings.ReadOnly
                    ? RocksDbNative.rocksdb_open_for_read_only_column_families(options, path, families.Length, n, o, h, errorIfWalFileExists: 0, out error)
                    : RocksDbNative.rocksdb_open_column_families(options, path, families.Length, n, o, h, out error);
                RocksDbNative.ThrowIfError(error, $"opening '{path}'");
            }
            var dbHandle = new DatabaseHandle(db);
            var database = new RocksDatabase(path, options, dbHandle, settings.SyncWrites);
            for (int i = 0; i < families.Length; i++)
                database._families.Add(families[i], new RocksColumnFamily(database, families[i], new ColumnFamilyHandle(handles[i], dbHandle)));
            return database;
        }
        finally
        {
            if (added) options.DangerousRelease();
            foreach (nint name in names) Marshal.FreeCoTaskMem(name);
        }
    }

    private static string[] ListColumnFamilies(OptionsHandle options, string path)
    {
        nint* list = RocksDbNative.rocksdb_list_column_families(options, path, out nuint count, out nint error);
        RocksDbNative.ThrowIfError(error, $"listing column families of '{path}'");
        try
        {
            var names = new string[(int)count];
            for (int i = 0; i < names.Length; i++) names[i] = Marshal.PtrToStringUTF8(list[i]) ?? "";
            return names;
        }
        finally
        {
            RocksDbNative.rocksdb_list_column_families_destroy(list, count);
        }
    }
}
