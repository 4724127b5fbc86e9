namespace Mgr.Node.Storage.RocksDb;

/// <summary><see cref="IWriteBatch"/> on a native RocksDB write batch, written with the WAL on.</summary>
internal sealed class RocksDbWriteBatch(RocksDbStore store) : IWriteBatch
{
    private readonly RocksWriteBatch _batch = new();
    private bool _committed;

    public int Count => _batch.Count;

    public void Put(StoreColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfCommitted();
        _batch.Put(store.Family(column), key, value);
    }

    public void Delete(StoreColumn column, ReadOnlySpan<byte> key)
    {
        ThrowIfCommitted();
        _batch.Delete(store.Family(column), key);
    }

    public void DeleteRange(StoreColumn column, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> toKeyExclusive)
    {
        ThrowIfCommitted();
        if (toKeyExclusive.SequenceCompareTo(fromKey) < 0)
            throw new ArgumentException("A range to delete must not end before it starts.", nameof(toKeyExclusive));
        _batch.DeleteRange(store.Family(column), fromKey, toKeyExclusive);
    }

    public void Commit()
    {
        ThrowIfCommitted();
        store.Database.Write(_batch);
        _committed = true;
    }

    public void Dispose() => _batch.Dispose();

    private void ThrowIfCommitted()
    {
        if (_committed) throw new InvalidOperationException("This write batch has already been committed.");
    }
}
