using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Tests.Headers;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Stages;

/// <summary>Whole reverse header syncs through the pipeline, against fake peers serving in-memory chains.</summary>
public sealed class HeadersStageSyncTests
{
    private const int BigLength = 100_000;
    private const ulong BigCheckpoint = 1_000;
    private static readonly Lazy<(BlockHeader[] Chain, byte[][] Encoded)> Big = new(() =>
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(BigLength, seed: 7);
        return (chain, FakeHeaderPeer.Encode(chain));
    });

    private static readonly HeaderSyncOptions Options = new() { MemoryLimitBytes = 8 << 20, RequestTimeout = TimeSpan.FromSeconds(5) };

    private static (StagedPipeline Pipeline, HeaderDispatcher Dispatcher) Build(IKeyValueStore store, IReadOnlyList<IHeaderPeer> peers,
        HeaderSyncTarget target, HeaderSyncOptions? options = null)
    {
        var dispatcher = new HeaderDispatcher(peers, options ?? Options);
        var stage = new HeadersStage(store, target, dispatcher, options ?? Options);
        return (new StagedPipeline(store, [stage]), dispatcher);
    }

    private static HeaderSyncTarget Target(BlockHeader[] chain, ulong checkpoint, ulong finalized)
    {
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(chain[checkpoint]));
        target.Advance(chain[finalized]);
        return target;
    }

    private static FakeHeaderPeer[] Peers(BlockHeader[] chain, byte[][] encoded) => [new(1, chain, encoded), new(2, chain, encoded), new(3, chain, encoded)];

    [Fact]
    public async Task Syncs_100000_headers_from_three_peers_and_bans_the_one_that_lies()
    {
        (BlockHeader[] chain, byte[][] encoded) = Big.Value;
        FakeHeaderPeer[] peers = Peers(chain, encoded);
        FakeHeaderPeer liar = peers[1];
        liar.OnGetBlockHeaders = query =>
        {
            List<ReadOnlyMemory<byte>> honest = [.. liar.Honest(query)];
            if (query.Skip == 0 && honest.Count > 2) honest[honest.Count / 2] = Tampered(chain[(int)query.OriginNumber - honest.Count / 2]);
            return honest;
        };
        using var store = new InMemoryKeyValueStore();
        (StagedPipeline pipeline, HeaderDispatcher dispatcher) = Build(store, peers, Target(chain, BigCheckpoint, BigLength - 1));

        await pipeline.RunAsync(BigLength - 1, CancellationToken.None);

        HeadersStageTests.AssertCanonical(store, chain, BigCheckpoint, BigLength - 1);
        Assert.True(dispatcher.IsBanned(liar.Id));
        Assert.False(dispatcher.IsBanned(peers[0].Id));
        Assert.False(dispatcher.IsBanned(peers[2].Id));
        Assert.Equal([new HeaderSegment(BigCheckpoint, BigLength - 1, chain[BigCheckpoint].Hash, chain[^1].Hash)], HeaderSegmentStore.ReadAll(store));
    }

    [Fact]
    public async Task Blames_the_peer_whose_skeleton_lies_and_still_completes()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(4_000, seed: 3);
        BlockHeader[] fork = HeaderChainGenerator.Fork(chain, 1, 4_000, seed: 4);
        byte[][] encoded = FakeHeaderPeer.Encode(chain), forkEncoded = FakeHeaderPeer.Encode(fork);
        var honest = new FakeHeaderPeer(1, chain, encoded);
        var liar = new FakeHeaderPeer(2, chain, encoded);
        liar.OnGetBlockHeaders = query =>
        {
            List<ReadOnlyMemory<byte>> answer = [.. liar.Honest(query)];
            if (query.Skip > 0)
                for (int i = 1; i < answer.Count; i++) answer[i] = forkEncoded[(int)query.OriginNumber - i * (query.Skip + 1)];
            return answer;
        };
        using var store = new InMemoryKeyValueStore();
        (StagedPipeline pipeline, HeaderDispatcher dispatcher) = Build(store, [liar, honest], Target(chain, 10, 3_999));

        await pipeline.RunAsync(3_999, CancellationToken.None);

        HeadersStageTests.AssertCanonical(store, chain, 10, 3_999);
        Assert.Contains(liar.Queries, q => q.Skip > 0);
        Assert.True(dispatcher.IsBanned(liar.Id));
        Assert.False(dispatcher.IsBanned(honest.Id));
    }

    [Fact]
    public async Task Resumes_after_a_kill_without_asking_again_for_any_stored_header()
    {
        (BlockHeader[] chain, byte[][] encoded) = Big.Value;
        string path = Path.Combine(Path.GetTempPath(), "mgr-headers-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var kill = new CancellationTokenSource();
            FakeHeaderPeer[] first = Peers(chain, encoded);
            int answered = 0;
            foreach (FakeHeaderPeer peer in first) peer.BeforeAnswer = _ => { if (Interlocked.Increment(ref answered) == 200) kill.Cancel(); };
            using (RocksDbStore store = RocksDbStore.Open(path))
            {
                (StagedPipeline pipeline, HeaderDispatcher dispatcher) = Build(store, first, Target(chain, BigCheckpoint, BigLength - 1));
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.RunAsync(BigLength - 1, kill.Token));
                await dispatcher.DisposeAsync();
            }

            using (RocksDbStore reopened = RocksDbStore.Open(path))
            {
                HeaderSegment stored = Assert.Single(HeaderSegmentStore.ReadAll(reopened));
                FakeHeaderPeer[] second = Peers(chain, encoded);
                (StagedPipeline pipeline, _) = Build(reopened, second, Target(chain, BigCheckpoint, BigLength - 1));

                await pipeline.RunAsync(BigLength - 1, CancellationToken.None);

                Assert.True(stored.From < BigLength - 1 - 1000, "the first run should have stored some slices");
                HeadersStageTests.AssertCanonical(reopened, chain, BigCheckpoint, BigLength - 1);
                HeaderQuery[] queries = [.. second.SelectMany(p => p.Queries)];
                Assert.NotEmpty(queries);
                Assert.All(queries, q => Assert.True(q.OriginNumber < stored.From, $"asked again for stored header {q.OriginNumber}"));
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task Appends_newly_finalized_blocks_by_downloading_only_the_new_ones()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(3_000, seed: 5);
        byte[][] encoded = FakeHeaderPeer.Encode(chain);
        using var store = new InMemoryKeyValueStore();
        HeaderSyncTarget target = Target(chain, 100, 2_000);
        await Build(store, Peers(chain, encoded), target).Pipeline.RunAsync(2_000, CancellationToken.None);
        FakeHeaderPeer[] peers = Peers(chain, encoded);
        target.Advance(chain[2_999]);

        await Build(store, peers, target).Pipeline.RunAsync(2_999, CancellationToken.None);

        HeadersStageTests.AssertCanonical(store, chain, 100, 2_999);
        Assert.All(peers.SelectMany(p => p.Queries), q => Assert.InRange(q.OriginNumber, 2_001UL, 2_998UL));
        Assert.Single(HeaderSegmentStore.ReadAll(store));
    }

    [Fact]
    public async Task Aborts_with_a_clear_error_when_the_chain_does_not_contain_the_checkpoint()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(2_000, seed: 8);
        var wrong = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(chain[500]) with { Hash = Hash256.MaxValue });
        wrong.Advance(chain[^1]);
        using var store = new InMemoryKeyValueStore();

        var error = await Assert.ThrowsAsync<HeaderSyncException>(() =>
            Build(store, Peers(chain, FakeHeaderPeer.Encode(chain)), wrong).Pipeline.RunAsync(1_999, CancellationToken.None));

        Assert.Contains("checkpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains(chain[500].Hash.ToString(), error.Message, StringComparison.Ordinal);
        Assert.False(HeaderStore.TryReadCanonical(store, 500, out _));
    }

    [Fact]
    public async Task Deletes_stored_headers_of_another_chain_and_keeps_the_shared_ones()
    {
        BlockHeader[] old = HeaderChainGenerator.Generate(1_200, seed: 9);
        BlockHeader[] chain = HeaderChainGenerator.Fork(old, 1_150, 2_000, seed: 10);
        using var store = new InMemoryKeyValueStore();
        await Build(store, Peers(old, FakeHeaderPeer.Encode(old)), Target(old, 100, 1_199)).Pipeline.RunAsync(1_199, CancellationToken.None);
        FakeHeaderPeer[] peers = Peers(chain, FakeHeaderPeer.Encode(chain));

        await Build(store, peers, Target(chain, 100, 1_999)).Pipeline.RunAsync(1_999, CancellationToken.None);

        HeadersStageTests.AssertCanonical(store, chain, 100, 1_999);
        for (int n = 1_150; n < 1_200; n++) Assert.False(HeaderStore.TryReadNumber(store, old[n].Hash, out _), $"stale header {n} kept");
        Assert.All(peers.SelectMany(p => p.Queries), q => Assert.True(q.OriginNumber >= 1_150, $"asked for shared header {q.OriginNumber}"));
    }

    private static ReadOnlyMemory<byte> Tampered(BlockHeader header)
    {
        var copy = BlockHeader.Decode(header.Encode());
        return new BlockHeader
        {
            ParentHash = copy.ParentHash, Coinbase = copy.Coinbase, StateRoot = Hash256.MaxValue, Difficulty = copy.Difficulty,
            Number = copy.Number, GasLimit = copy.GasLimit, GasUsed = copy.GasUsed, Timestamp = copy.Timestamp, ExtraData = copy.ExtraData,
            MixHash = copy.MixHash, Nonce = 0, BaseFeePerGas = copy.BaseFeePerGas, WithdrawalsRoot = copy.WithdrawalsRoot,
            BlobGasUsed = copy.BlobGasUsed, ExcessBlobGas = copy.ExcessBlobGas, ParentBeaconBlockRoot = copy.ParentBeaconBlockRoot,
        }.Encode();
    }
}
