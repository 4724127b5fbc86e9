using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Headers;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Stages;

public sealed class BackfillStageTests : StageContractTests<BackfillStage>
{
    private const ulong CheckpointNumber = 1_500;
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(2_000, seed: 61);
    private static readonly byte[][] Encoded = FakeHeaderPeer.Encode(Chain);
    private static readonly HeaderSyncOptions Options = new() { HeadersPerStep = 2 * ReverseHeaderFeed.SliceSize };
    private static readonly PreverifiedHashes Preverified = PreverifiedFor(Chain, CheckpointNumber);

    protected override ulong Target => 1_999;

    protected override ulong UnwindPoint => 0;

    protected override IKeyValueStore CreateStore()
    {
        var store = new InMemoryKeyValueStore();
        using IWriteBatch batch = store.BeginBatch();
        HeaderStore.Write(batch, CheckpointNumber, Chain[CheckpointNumber].Hash, Encoded[CheckpointNumber]);
        HeaderStore.WriteCanonical(batch, CheckpointNumber, Chain[CheckpointNumber].Hash);
        batch.Commit();
        return store;
    }

    protected override BackfillStage CreateStage(IKeyValueStore store) => Stage(store, [new(1, Chain, Encoded), new(2, Chain, Encoded)], out _);

    protected override void AssertComplete(IKeyValueStore store, ulong block)
    {
        for (ulong n = 0; n < CheckpointNumber; n++)
        {
            Assert.True(HeaderStore.TryReadCanonical(store, n, out var hash), $"no header {n}");
            Assert.Equal(Chain[n].Hash, hash);
        }
    }

    private static BackfillStage Stage(IKeyValueStore store, FakeHeaderPeer[] peers, out HeaderDispatcher dispatcher)
    {
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(Chain[CheckpointNumber]));
        target.Advance(Chain[^1]);
        dispatcher = new HeaderDispatcher(peers, Options);
        return new BackfillStage(store, target, dispatcher, Options, Preverified);
    }

    public static PreverifiedHashes PreverifiedFor(BlockHeader[] chain, ulong below)
    {
        using var writer = new StringWriter();
        for (ulong n = 0; n < below; n += PreverifiedHashes.Interval) writer.Write($"{n} {chain[n].Hash}\n");
        return PreverifiedHashes.Parse(writer.ToString());
    }

    [Fact]
    public async Task Below_the_first_multiple_of_192_asks_no_skeleton_and_bans_a_lying_peer_at_once()
    {
        using IKeyValueStore store = CreateStore();
        var honest = new FakeHeaderPeer(1, Chain, Encoded);
        var fork = new FakeHeaderPeer(9, HeaderChainGenerator.Fork(Chain, 1, 2_000, seed: 62));
        var liar = new FakeHeaderPeer(2, Chain, Encoded);
        // Below the aligned point, whole slices of another chain: internally consistent, only the preverified hashes expose them.
        liar.OnGetBlockHeaders = query => query.OriginNumber < 1_344 ? fork.Honest(query) : liar.Honest(query);
        BackfillStage stage = Stage(store, [liar, honest], out HeaderDispatcher dispatcher);

        await new StagedPipeline(store, [stage]).RunAsync(Target, CancellationToken.None);

        AssertComplete(store, Target);
        Assert.True(dispatcher.IsBanned(liar.Id));
        Assert.DoesNotContain(honest.Queries.Concat(liar.Queries), q => q.Skip > 0 && q.OriginNumber < 1_344);
    }

    [Fact]
    public async Task Aborts_when_the_preverified_list_contradicts_the_chain()
    {
        using IKeyValueStore store = CreateStore();
        BlockHeader[] other = HeaderChainGenerator.Generate(2_000, seed: 63);
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(Chain[CheckpointNumber]));
        target.Advance(Chain[^1]);
        var stage = new BackfillStage(store, target, new HeaderDispatcher([new FakeHeaderPeer(1, Chain, Encoded)], Options), Options,
            PreverifiedFor(other, CheckpointNumber));

        var error = await Assert.ThrowsAsync<HeaderSyncException>(() => new StagedPipeline(store, [stage]).RunAsync(Target, CancellationToken.None));

        Assert.Contains("wrong preverified list", error.Message, StringComparison.Ordinal);
    }
}
