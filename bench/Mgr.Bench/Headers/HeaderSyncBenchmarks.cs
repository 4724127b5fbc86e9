using BenchmarkDotNet.Attributes;
using Mgr.Node.Headers;
using Mgr.Node.Chain;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Bench.Headers;

/// <summary>Reverse header sync of <see cref="Count"/> Cancun headers from three in-memory peers into RocksDB
/// (decode, hash, sanity and link checks, store with segment markers and stage checkpoints), beside the raw
/// decode+hash of the same headers, the bare RocksDB writes of those headers (the storage ceiling), and the sync
/// into the in-memory test store.
/// Per-header time is the Mean (OperationsPerInvoke = Count); headers/s = 1 s / Mean.</summary>
/// <remarks>Every method runs in one job (one invocation of <see cref="Count"/> headers per iteration, in process), so the
/// RocksDB methods, which need a fresh store per iteration, still get a Ratio against the decode+hash Baseline. Run
/// with <c>--filter</c> alone.</remarks>
[Config(typeof(MacroConfig))]
[MemoryDiagnoser]
public class HeaderSyncBenchmarks
{
    public const int Count = 50_000;

    private BlockHeader[] _chain = [];
    private byte[][] _encoded = [];
    private string _directory = "";
    private RocksDbStore? _rocks;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _chain = new BlockHeader[Count];
        Span<byte> bytes = stackalloc byte[32];
        Hash256 parent = Hash256.Zero;
        for (int i = 0; i < Count; i++)
        {
            random.NextBytes(bytes);
            var root = new Hash256(bytes);
            _chain[i] = new BlockHeader
            {
                ParentHash = parent, Coinbase = Address.Zero, StateRoot = root, Difficulty = UInt256.Zero, Number = (ulong)i,
                GasLimit = 30_000_000, GasUsed = (ulong)random.Next(30_000_000), Timestamp = 1_700_000_000 + 12 * (ulong)i,
                ExtraData = "mgr"u8.ToArray(), MixHash = root, Nonce = 0, BaseFeePerGas = 7UL, WithdrawalsRoot = Hash256.EmptyTrieRoot,
                BlobGasUsed = 0, ExcessBlobGas = 0, ParentBeaconBlockRoot = root,
            };
            parent = _chain[i].Hash;
        }
        _encoded = [.. _chain.Select(h => h.Encode())];
    }

    [IterationSetup(Targets = [nameof(SyncIntoRocksDb), nameof(WritesOnlyIntoRocksDb)])]
    public void NewStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), "mgr-bench-headers-" + Guid.NewGuid().ToString("N"));
        _rocks = RocksDbStore.Open(_directory);
    }

    [IterationCleanup(Targets = [nameof(SyncIntoRocksDb), nameof(WritesOnlyIntoRocksDb)])]
    public void DeleteStore()
    {
        _rocks?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public Hash256 DecodeAndHash()
    {
        Hash256 last = default;
        foreach (byte[] rlp in _encoded) last = BlockHeader.Decode(rlp).Hash;
        return last;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public async Task SyncIntoRocksDb() => await SyncAsync(_rocks!);

    /// <summary>The storage ceiling: the same header, hash-index and canonical puts in batches of one stage step.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public void WritesOnlyIntoRocksDb()
    {
        int step = new HeaderSyncOptions().HeadersPerStep;
        for (int start = 0; start < Count; start += step)
        {
            using IWriteBatch batch = _rocks!.BeginBatch();
            for (int i = start; i < Math.Min(Count, start + step); i++)
            {
                HeaderStore.Write(batch, (ulong)i, _chain[i].Hash, _encoded[i]);
                HeaderStore.WriteCanonical(batch, (ulong)i, _chain[i].Hash);
            }
            batch.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public async Task SyncIntoMemory()
    {
        using var store = new InMemoryKeyValueStore();
        await SyncAsync(store);
    }

    private async Task SyncAsync(IKeyValueStore store)
    {
        var options = new HeaderSyncOptions();
        var target = new HeaderSyncTarget(new WeakSubjectivityCheckpoint(0, _chain[0].Hash));
        target.Advance(_chain[^1]);
        IHeaderPeer[] peers = [new InMemoryHeaderPeer(1, _encoded), new InMemoryHeaderPeer(2, _encoded), new InMemoryHeaderPeer(3, _encoded)];
        await using var dispatcher = new HeaderDispatcher(peers, options);
        var stage = new HeadersStage(store, target, dispatcher, options);
        await new StagedPipeline(store, [stage]).RunAsync(Count - 1, CancellationToken.None);
    }

    private sealed class MacroConfig() : InProcessMacroConfig(warmupCount: 1, iterationCount: 5);
}
