namespace Mgr.Node.Storage.RocksDb;

/// <summary>Writes a sorted SST file for <see cref="RocksDatabase.IngestFiles"/>: keys must be added in strictly
/// increasing order (RocksDB rejects anything else with a <see cref="StorageException"/>). Not thread-safe.</summary>
public sealed unsafe class RocksSstFileWriter : IDisposable
{
    private readonly SstFileWriterHandle _handle;
    private bool _disposed;

    internal RocksSstFileWriter(OptionsHandle options, string path)
    {
        _handle = new SstFileWriterHandle(options);
        try
        {
            RocksDbNative.rocksdb_sstfilewriter_open(_handle, path, out nint error);
            RocksDbNative.ThrowIfError(error, $"opening SST file '{path}'");
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
        Path = path;
    }

    public string Path { get; }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            RocksDbNative.rocksdb_sstfilewriter_put(_handle.DangerousGetHandle(), k, (nuint)key.Length, v, (nuint)value.Length, out nint error);
            RocksDbNative.ThrowIfError(error, "adding to an SST file");
        }
    }

    /// <summary>Completes the file; it must hold at least one entry.</summary>
    public void Finish()
    {
        ThrowIfDisposed();
        RocksDbNative.rocksdb_sstfilewriter_finish(_handle, out nint error);
        RocksDbNative.ThrowIfError(error, $"finishing SST file '{Path}'");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _handle.Dispose();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(RocksSstFileWriter), "This SST file writer has been disposed.");
    }
}
