namespace Mgr.Node.Storage.RocksDb;

/// <summary>A consistent point-in-time view of a <see cref="RocksDatabase"/>: reads and iterators given this
/// snapshot ignore every later write. Dispose it promptly (it pins old data); disposing twice is harmless.</summary>
public sealed class RocksSnapshot : IDisposable
{
    private readonly SnapshotHandle _handle;

    internal RocksSnapshot(RocksDatabase owner, DatabaseHandle db)
    {
        Owner = owner;
        _handle = new SnapshotHandle(db);
        try
        {
            ReadOptions = new ReadOptionsHandle(_handle);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    internal RocksDatabase Owner { get; }

    internal ReadOptionsHandle ReadOptions { get; }

    internal SnapshotHandle Handle
    {
        get
        {
            ThrowIfDisposed();
            return _handle;
        }
    }

    public bool IsDisposed { get; private set; }

    internal void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(RocksSnapshot), "This RocksDB snapshot has been released.");
    }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        ReadOptions.Dispose();
        _handle.Dispose();
    }
}
