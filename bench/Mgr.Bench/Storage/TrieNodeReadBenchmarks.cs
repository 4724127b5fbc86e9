using BenchmarkDotNet.Attributes;
using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;

namespace Mgr.Bench.Storage;

/// <summary>
/// Point reads of trie nodes by hash from a RocksDB store of 1,000,000 nodes (70–250-byte RLP) with a warm block
/// cache: into a caller's span (no allocation; the Baseline) and through the trie's <c>INodeStore.TryGet</c>
/// (allocates the returned array). Times are per read, so Op/s reads as reads per second.
/// </summary>
[Config(typeof(StorageBenchConfig))]
[MemoryDiagnoser]
public class TrieNodeReadBenchmarks
{
    private const int Nodes = 1_000_000;
    private const int Reads = 200_000;

    private readonly Hash256[] _hashes = new Hash256[Nodes];
    private readonly int[] _order = new int[Reads];
    private readonly byte[] _destination = new byte[1024];
    private string _root = "";
    private RocksDbStore? _store;
    private TrieNodeStore? _nodes;

    [GlobalSetup]
    public void BuildWarmStore()
    {
        _root = Path.Combine(Path.GetTempPath(), "mgr-bench-nodes", Guid.NewGuid().ToString("N"));
        _store = RocksDbStore.Open(Path.Combine(_root, "db"), new RocksDbOptions { BlockCacheBytes = 1L << 30 });
        var random = new Random(7);
        using (var collector = new EtlCollector(Path.Combine(_root, "etl")))
        {
            byte[] rlp = new byte[250];
            Span<byte> key = stackalloc byte[32];
            for (int i = 0; i < Nodes; i++)
            {
                Span<byte> node = rlp.AsSpan(0, random.Next(70, 251));
                random.NextBytes(node);
                _hashes[i] = Keccak256.Compute(node);
                _hashes[i].CopyTo(key);
                collector.Add(key, node);
            }
            collector.ImportInto(_store, Schema.TrieNodes);
        }
        for (int i = 0; i < Reads; i++) _order[i] = random.Next(Nodes);
        _nodes = new TrieNodeStore(_store);
        foreach (Hash256 hash in _hashes) TrieNodeStore.TryRead(_store, hash, _destination, out _); // warm the cache
    }

    [GlobalCleanup]
    public void DeleteStore()
    {
        _store?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Reads)]
    public long ReadIntoSpan()
    {
        long bytes = 0;
        foreach (int i in _order)
        {
            if (!TrieNodeStore.TryRead(_store!, _hashes[i], _destination, out int length)) throw new InvalidOperationException("missing node");
            bytes += length;
        }
        return bytes;
    }

    [Benchmark(OperationsPerInvoke = Reads)]
    public long ReadThroughINodeStore()
    {
        long bytes = 0;
        foreach (int i in _order)
        {
            if (!_nodes!.TryGet(_hashes[i], out ReadOnlyMemory<byte> rlp)) throw new InvalidOperationException("missing node");
            bytes += rlp.Length;
        }
        return bytes;
    }
}
