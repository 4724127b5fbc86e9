namespace Mgr.Node.Storage.RocksDb;

/// <summary>A forward iterator over one column family, optionally bounded to [lower, upper) and pinned to a
/// snapshot. <see cref="Key"/> and <see cref="Value"/> point into RocksDB's memory and are valid only until the
/// next move or disposal: copy what you keep. Not thread-safe; disposing twice is harmless.</summary>
public sealed unsafe class RocksIterator : IDisposable
{
    private readonly ReadOptionsHandle _options;
    private readonly IteratorHandle _handle;
    private readonly nint _native;
    private bool _disposed;

    internal RocksIterator(DatabaseHandle db, ColumnFamilyHandle cf, SnapshotHandle? snapshot, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        _options = new ReadOptionsHandle(snapshot, lower, upper);
        try
        {
            _handle = new IteratorHandle(db, _options, cf);
        }
        catch
        {
            _options.Dispose();
            throw;
        }
        _native = _handle.DangerousGetHandle();
    }

    public bool IsValid
    {
        get
        {
            ThrowIfDisposed();
            return RocksDbNative.rocksdb_iter_valid(_native) != 0;
        }
    }

    public ReadOnlySpan<byte> Key
    {
        get
        {
            ThrowIfInvalid();
            byte* key = RocksDbNative.rocksdb_iter_key(_native, out nuint length);
            return new ReadOnlySpan<byte>(key, checked((int)length));
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            ThrowIfInvalid();
            byte* value = RocksDbNative.rocksdb_iter_value(_native, out nuint length);
            return new ReadOnlySpan<byte>(value, checked((int)length));
        }
    }

    /// <summary>Moves to the first key (at or after the lower bound).</summary>
    public void SeekToFirst()
    {
        ThrowIfDisposed();
        RocksDbNative.rocksdb_iter_seek_to_first(_native);
        ThrowIfFailed();
    }

    /// <summary>Moves to the first key at or after <paramref name="key"/>.</summary>
    public void Seek(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        {
            RocksDbNative.rocksdb_iter_seek(_native, k, (nuint)key.Length);
        }
        ThrowIfFailed();
    }

    public void Next()
    {
        ThrowIfInvalid();
        RocksDbNative.rocksdb_iter_next(_native);
        ThrowIfFailed();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _handle.Dispose();
        _options.Dispose();
    }

    // An iterator that stops being valid may have stopped on an I/O error or corruption rather than at the end.
    private void ThrowIfFailed()
    {
        if (RocksDbNative.rocksdb_iter_valid(_native) != 0) return;
        RocksDbNative.rocksdb_iter_get_error(_native, out nint error);
        RocksDbNative.ThrowIfError(error, "iteration");
    }

    private void ThrowIfInvalid()
    {
        ThrowIfDisposed();
        if (RocksDbNative.rocksdb_iter_valid(_native) == 0)
            throw new InvalidOperationException("The iterator is not positioned on an entry (check IsValid).");
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(RocksIterator), "This RocksDB iterator has been disposed.");
    }
}
