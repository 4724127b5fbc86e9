using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Bench.Storage;

/// <summary>The other bulk-load option measured against SST ingestion: sorted entries written through the memtable
/// in large batches with the write-ahead log off, then one flush to make them durable.</summary>
internal sealed class UnloggedBatchLoad(RocksDatabase database, RocksColumnFamily family) : ISortedLoad
{
    private const int BatchEntries = 50_000;
    private readonly RocksWriteBatch _batch = new();

    public long Count { get; private set; }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        _batch.Put(family, key, value);
        if (++Count % BatchEntries == 0) Drain();
    }

    public void Complete()
    {
        Drain();
        database.Flush(family);
    }

    public void Dispose() => _batch.Dispose();

    private void Drain()
    {
        database.Write(_batch, logged: false);
        _batch.Clear();
    }
}
