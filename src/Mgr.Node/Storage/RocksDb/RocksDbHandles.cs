using System.Runtime.InteropServices;
using static Mgr.Node.Storage.RocksDb.RocksDbNative;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>
/// Base of every RocksDB native handle: owns one native pointer and keeps the handles it depends on alive
/// (by reference count) until it is released, so a column family, iterator or snapshot can never outlive its
/// database even when finalised in any order.
/// </summary>
internal abstract class RocksHandle : SafeHandle
{
    private SafeHandle[] _parents = [];

    protected RocksHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    /// <summary>The first handle this one depends on (the database, for handles that need it to be freed).</summary>
    protected SafeHandle? Parent => _parents.Length > 0 ? _parents[0] : null;

    /// <summary>Takes ownership of <paramref name="native"/>; a null pointer becomes a <see cref="StorageException"/>.</summary>
    protected void Own(nint native, string what, params SafeHandle[] parents)
    {
        if (native == 0) throw new StorageException($"RocksDB could not create {what}.");
        int added = 0;
        try
        {
            foreach (SafeHandle parent in parents)
            {
                bool success = false;
                parent.DangerousAddRef(ref success);
                added++;
            }
        }
        catch
        {
            for (int i = 0; i < added; i++) parents[i].DangerousRelease();
            Free(native);
            throw;
        }
        _parents = parents;
        SetHandle(native);
    }

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        foreach (SafeHandle parent in _parents) parent.DangerousRelease();
        _parents = [];
        return true;
    }

    protected abstract void Free(nint native);
}

/// <summary><c>rocksdb_options_t</c>.</summary>
internal sealed class OptionsHandle : RocksHandle
{
    public OptionsHandle() => Own(rocksdb_options_create(), "options");
    protected override void Free(nint native) => rocksdb_options_destroy(native);
}

/// <summary><c>rocksdb_block_based_table_options_t</c>.</summary>
internal sealed class BlockBasedTableOptionsHandle : RocksHandle
{
    public BlockBasedTableOptionsHandle() => Own(rocksdb_block_based_options_create(), "block-based table options");
    protected override void Free(nint native) => rocksdb_block_based_options_destroy(native);
}

/// <summary><c>rocksdb_cache_t</c> (an LRU block cache; the table factory keeps its own reference).</summary>
internal sealed class CacheHandle : RocksHandle
{
    public CacheHandle(ulong capacityBytes) => Own(rocksdb_cache_create_lru((nuint)capacityBytes), "an LRU cache");
    protected override void Free(nint native) => rocksdb_cache_destroy(native);
}

/// <summary><c>rocksdb_writeoptions_t</c>.</summary>
internal sealed class WriteOptionsHandle : RocksHandle
{
    public WriteOptionsHandle() => Own(rocksdb_writeoptions_create(), "write options");
    protected override void Free(nint native) => rocksdb_writeoptions_destroy(native);
}

/// <summary><c>rocksdb_readoptions_t</c>, optionally pinned to a snapshot (kept alive by reference) and with
/// native copies of its iterate bounds, which RocksDB reads by pointer while an iterator made with them lives.</summary>
internal sealed unsafe class ReadOptionsHandle : RocksHandle
{
    private byte* _bounds;

    /// <summary>Empty bounds leave that side open.</summary>
    public ReadOptionsHandle(SnapshotHandle? snapshot = null, ReadOnlySpan<byte> lower = default, ReadOnlySpan<byte> upper = default)
    {
        nint native = rocksdb_readoptions_create();
        if (snapshot is null) Own(native, "read options");
        else Own(native, "read options", snapshot);
        if (snapshot is not null) rocksdb_readoptions_set_snapshot(this, snapshot);
        if (lower.IsEmpty && upper.IsEmpty) return;
        _bounds = (byte*)NativeMemory.Alloc((nuint)(lower.Length + upper.Length));
        lower.CopyTo(new Span<byte>(_bounds, lower.Length));
        upper.CopyTo(new Span<byte>(_bounds + lower.Length, upper.Length));
        if (!lower.IsEmpty) rocksdb_readoptions_set_iterate_lower_bound(this, _bounds, (nuint)lower.Length);
        if (!upper.IsEmpty) rocksdb_readoptions_set_iterate_upper_bound(this, _bounds + lower.Length, (nuint)upper.Length);
    }

    protected override void Free(nint native)
    {
        rocksdb_readoptions_destroy(native);
        NativeMemory.Free(_bounds);
        _bounds = null;
    }
}

/// <summary><c>rocksdb_t</c>; closing it waits until every dependent handle has been released.</summary>
internal sealed class DatabaseHandle : RocksHandle
{
    public DatabaseHandle(nint native) => Own(native, "a database");
    protected override void Free(nint native) => rocksdb_close(native);
}

/// <summary><c>rocksdb_column_family_handle_t</c>.</summary>
internal sealed class ColumnFamilyHandle : RocksHandle
{
    public ColumnFamilyHandle(nint native, DatabaseHandle db) => Own(native, "a column family handle", db);
    protected override void Free(nint native) => rocksdb_column_family_handle_destroy(native);
}

/// <summary><c>rocksdb_writebatch_t</c>.</summary>
internal sealed class WriteBatchHandle : RocksHandle
{
    public WriteBatchHandle() => Own(rocksdb_writebatch_create(), "a write batch");
    protected override void Free(nint native) => rocksdb_writebatch_destroy(native);
}

/// <summary><c>rocksdb_iterator_t</c>; keeps its database, column family and read options alive.</summary>
internal sealed class IteratorHandle : RocksHandle
{
    public IteratorHandle(DatabaseHandle db, ReadOptionsHandle options, ColumnFamilyHandle cf)
        => Own(rocksdb_create_iterator_cf(db, options, cf), "an iterator", db, options, cf);
    protected override void Free(nint native) => rocksdb_iter_destroy(native);
}

/// <summary><c>rocksdb_snapshot_t</c>; released against the database it came from.</summary>
internal sealed class SnapshotHandle : RocksHandle
{
    public SnapshotHandle(DatabaseHandle db) => Own(rocksdb_create_snapshot(db), "a snapshot", db);
    protected override void Free(nint native) => rocksdb_release_snapshot(Parent!.DangerousGetHandle(), native);
}

/// <summary><c>rocksdb_sstfilewriter_t</c>.</summary>
internal sealed class SstFileWriterHandle : RocksHandle
{
    public SstFileWriterHandle(OptionsHandle options)
    {
        nint env = rocksdb_envoptions_create();
        try
        {
            Own(rocksdb_sstfilewriter_create(env, options), "an SST file writer");
        }
        finally
        {
            rocksdb_envoptions_destroy(env);
        }
    }

    protected override void Free(nint native) => rocksdb_sstfilewriter_destroy(native);
}
