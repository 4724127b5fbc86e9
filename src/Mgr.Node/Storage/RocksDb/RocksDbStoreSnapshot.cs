namespace Mgr.Node.Storage.RocksDb;

/// <summary><see cref="IStoreSnapshot"/> on a RocksDB snapshot.</summary>
internal sealed class RocksDbStoreSnapshot(RocksDbStore store, RocksSnapshot snapshot) : IStoreSnapshot
{
    public bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength)
        => store.Database.TryGet(store.Family(column), key, destination, out valueLength, snapshot);

    public IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
        => new RocksDbRangeCursor(store.Database.CreateIterator(store.Family(column), lowerBound, upperBound, snapshot), lowerBound);

    public void Dispose() => snapshot.Dispose();
}
