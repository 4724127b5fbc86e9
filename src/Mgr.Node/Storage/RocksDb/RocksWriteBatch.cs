namespace Mgr.Node.Storage.RocksDb;

/// <summary>Puts and deletes collected in native memory and applied atomically by
/// <see cref="RocksDatabase.Write"/>: after a crash either all of them are in the database or none.
/// Keys and values are copied when added, so callers may reuse their buffers. Not thread-safe.</summary>
public sealed unsafe class RocksWriteBatch : IDisposable
{
    private readonly WriteBatchHandle _handle = new();
    private bool _disposed;

    /// <summary>Number of operations added since creation or the last <see cref="Clear"/>.</summary>
    public int Count
    {
        get
        {
            ThrowIfDisposed();
            return RocksDbNative.rocksdb_writebatch_count(_handle);
        }
    }

    internal WriteBatchHandle Handle
    {
        get
        {
            ThrowIfDisposed();
            return _handle;
        }
    }

    public void Put(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            RocksDbNative.rocksdb_writebatch_put_cf(_handle.DangerousGetHandle(), columnFamily.Handle, k, (nuint)key.Length, v, (nuint)value.Length);
        }
    }

    public void Delete(RocksColumnFamily columnFamily, ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        {
            RocksDbNative.rocksdb_writebatch_delete_cf(_handle.DangerousGetHandle(), columnFamily.Handle, k, (nuint)key.Length);
        }
    }

    /// <summary>Deletes every key in [<paramref name="start"/>, <paramref name="end"/>) (end exclusive).</summary>
    public void DeleteRange(RocksColumnFamily columnFamily, ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        ThrowIfDisposed();
        fixed (byte* s = start)
        fixed (byte* e = end)
        {
            RocksDbNative.rocksdb_writebatch_delete_range_cf(_handle, columnFamily.Handle, s, (nuint)start.Length, e, (nuint)end.Length);
        }
    }

    public void Clear()
    {
        ThrowIfDisposed();
        RocksDbNative.rocksdb_writebatch_clear(_handle);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _handle.Dispose();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(RocksWriteBatch), "This RocksDB write batch has been disposed.");
    }
}
