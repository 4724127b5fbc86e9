using Mgr.Node.Chain;
using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Headers;
using Mgr.Node.Tests.Stages;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Chain;

public sealed class ChainSyncTests
{
    [Fact]
    public async Task Syncs_to_each_finalized_block_the_driver_announces_fetching_missing_headers_by_hash()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(2_000, seed: 31);
        FakeHeaderPeer[] peers = [new(1, chain), new(2, chain)];
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(chain[100]));
        var options = new HeaderSyncOptions();
        var pipeline = new StagedPipeline(store, [new HeadersStage(store, target, new HeaderDispatcher(peers, options), options)]);
        var events = new ConsensusEventChannel();
        var sync = new ChainSync(events, target, pipeline, peers);
        events.Publish(new FinalizedBlockReceived(chain[1_000].Hash, chain[1_000]));
        events.Publish(new FinalizedBlockReceived(chain[1_500].Hash, Header: null));
        events.Complete();

        await sync.RunAsync(CancellationToken.None);

        Assert.Equal(1_500UL, sync.Reached);
        HeadersStageTests.AssertCanonical(store, chain, 100, 1_500);
        Assert.Contains(peers.SelectMany(p => p.Queries), q => q.OriginHash == chain[1_500].Hash);
    }

    [Fact]
    public async Task Asks_again_for_a_finalized_header_no_peer_gave_when_a_later_forkchoice_names_it()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(600, seed: 34);
        var peer = new FakeHeaderPeer(1, chain);
        int queries = 0;
        peer.OnGetBlockHeaders = query => Interlocked.Increment(ref queries) == 1 ? [] : peer.Honest(query); // a peer that has not got it yet
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(chain[100]));
        var options = new HeaderSyncOptions();
        var pipeline = new StagedPipeline(store, [new HeadersStage(store, target, new HeaderDispatcher([peer], options), options)]);
        var events = new ConsensusEventChannel();
        var sync = new ChainSync(events, target, pipeline, [peer]);
        // What the Engine API publishes for two forkchoice updates naming the same finalized block, whose payload never came.
        events.Publish(new HeadUpdated(chain[599].Hash, chain[597].Hash, chain[595].Hash));
        events.Publish(new FinalizedBlockReceived(chain[595].Hash, Header: null));
        events.Publish(new HeadUpdated(chain[599].Hash, chain[597].Hash, chain[595].Hash));
        events.Complete();

        await sync.RunAsync(CancellationToken.None);

        Assert.Equal(595UL, sync.Reached);
        HeadersStageTests.AssertCanonical(store, chain, 100, 595);
    }

    [Fact]
    public async Task A_forkchoice_naming_a_finalized_block_already_taken_fetches_nothing()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(600, seed: 35);
        var peer = new FakeHeaderPeer(1, chain);
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(chain[100]));
        var options = new HeaderSyncOptions();
        var pipeline = new StagedPipeline(store, [new HeadersStage(store, target, new HeaderDispatcher([peer], options), options)]);
        var events = new ConsensusEventChannel();
        events.Publish(new FinalizedBlockReceived(chain[595].Hash, Header: null));
        events.Publish(new HeadUpdated(chain[599].Hash, chain[597].Hash, chain[595].Hash));
        events.Complete();

        await new ChainSync(events, target, pipeline, [peer]).RunAsync(CancellationToken.None);

        Assert.Single(peer.Queries, query => query.OriginHash == chain[595].Hash);
    }

    [Fact]
    public async Task Ends_with_the_sync_error_when_the_checkpoint_is_wrong()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(600, seed: 32);
        BlockHeader[] other = HeaderChainGenerator.Generate(600, seed: 33);
        FakeHeaderPeer[] peers = [new(1, chain)];
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(other[100]));
        var options = new HeaderSyncOptions();
        var pipeline = new StagedPipeline(store, [new HeadersStage(store, target, new HeaderDispatcher(peers, options), options)]);
        var events = new ConsensusEventChannel();
        events.Publish(new FinalizedBlockReceived(chain[599].Hash, chain[599]));

        var error = await Assert.ThrowsAsync<HeaderSyncException>(() => new ChainSync(events, target, pipeline, peers).RunAsync(CancellationToken.None));

        Assert.Contains("wrong --checkpoint", error.Message, StringComparison.Ordinal);
    }
}
