using BenchmarkDotNet.Attributes;
using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Bench.Storage;

/// <summary>
/// Ingest of 1,000,000 flat-state leaves (32-byte random key, 100-byte value) arriving in random order into a fresh
/// RocksDB store: naive puts (batches of 10,000, WAL on — the Baseline) against the ETL path (bounded-memory sorted
/// runs, k-way merge) loading by SST ingestion or by unlogged batches plus a flush. Times are per leaf, so
/// Op/s reads as leaves per second and Ratio as ETL time / naive time.
/// </summary>
[Config(typeof(StorageBenchConfig))]
[MemoryDiagnoser]
public class FlatStateIngestBenchmarks
{
    private const int Leaves = 1_000_000;
    private const int KeyBytes = 32;
    private const int ValueBytes = 100;
    private const int NaiveBatchEntries = 10_000;
    private const long EtlBufferBytes = 64L << 20; // half the input: the ETL spills and merges runs

    private readonly byte[] _keys = new byte[Leaves * KeyBytes];
    private readonly byte[] _values = new byte[Leaves * ValueBytes];
    private string _root = "";
    private RocksDbStore? _store;

    [GlobalSetup]
    public void GenerateLeaves()
    {
        var random = new Random(2026);
        random.NextBytes(_keys);
        random.NextBytes(_values);
    }

    [IterationSetup]
    public void OpenFreshStore()
    {
        _root = Path.Combine(Path.GetTempPath(), "mgr-bench-ingest", Guid.NewGuid().ToString("N"));
        _store = RocksDbStore.Open(Path.Combine(_root, "db"));
    }

    [IterationCleanup]
    public void DeleteStore()
    {
        _store?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Leaves)]
    public long NaivePuts()
    {
        IWriteBatch batch = _store!.BeginBatch();
        try
        {
            for (int i = 0; i < Leaves; i++)
            {
                batch.Put(Schema.Accounts, Key(i), Value(i));
                if ((i + 1) % NaiveBatchEntries != 0) continue;
                batch.Commit();
                batch.Dispose();
                batch = _store.BeginBatch();
            }
            batch.Commit();
        }
        finally
        {
            batch.Dispose();
        }
        return Leaves;
    }

    [Benchmark(OperationsPerInvoke = Leaves)]
    public long EtlSstIngestion()
    {
        using var collector = Collect();
        return collector.ImportInto(_store!, Schema.Accounts);
    }

    [Benchmark(OperationsPerInvoke = Leaves)]
    public long EtlUnloggedBatches()
    {
        using var collector = Collect();
        using var load = new UnloggedBatchLoad(_store!.Database, _store.Database.GetColumnFamily(Schema.Accounts.Name));
        return collector.MergeInto(load);
    }

    private EtlCollector Collect()
    {
        var collector = new EtlCollector(Path.Combine(_root, "etl"), EtlBufferBytes);
        for (int i = 0; i < Leaves; i++) collector.Add(Key(i), Value(i));
        return collector;
    }

    private ReadOnlySpan<byte> Key(int i) => _keys.AsSpan(i * KeyBytes, KeyBytes);

    private ReadOnlySpan<byte> Value(int i) => _values.AsSpan(i * ValueBytes, ValueBytes);
}
