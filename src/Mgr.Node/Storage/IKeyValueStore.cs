namespace Mgr.Node.Storage;

/// <summary>The node's key-value store: column-scoped reads, atomic write batches, snapshots and sorted bulk
/// loads. Implemented by <see cref="RocksDb.RocksDbStore"/> (the node) and <see cref="InMemoryKeyValueStore"/> (unit tests).
/// Thread-safe; the batches, cursors and loads it hands out are not.</summary>
public interface IKeyValueStore : IKeyValueReader, IDisposable
{
    /// <summary>Starts collecting writes that <see cref="IWriteBatch.Commit"/> applies all at once.</summary>
    IWriteBatch BeginBatch();

    /// <summary>A consistent view that ignores every later commit; dispose it promptly.</summary>
    IStoreSnapshot OpenSnapshot();

    /// <summary>Starts a bulk load of entries arriving in strictly ascending key order into one column (see
    /// <see cref="ISortedLoad"/>). Not atomic: on a crash a prefix of it may be stored.</summary>
    ISortedLoad BeginSortedLoad(StoreColumn column);
}
