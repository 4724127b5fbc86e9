using Mgr.Node.Chain;
using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Headers;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Chain;

public sealed class StoreChainViewTests
{
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(10, seed: 41);

    [Fact]
    public void Is_synced_only_once_every_stage_reached_the_finalized_block()
    {
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(Chain[0]));
        target.Advance(Chain[9]);
        var view = new StoreChainView(store, target, [StageId.Headers]);
        bool before = view.IsSynced;
        using (IWriteBatch batch = store.BeginBatch())
        {
            StageCheckpoints.Save(batch, StageId.Headers, new StageCheckpoint(9, ReadOnlyMemory<byte>.Empty));
            HeaderStore.Write(batch, 9, Chain[9].Hash, Chain[9].Encode());
            batch.Commit();
        }

        Assert.False(before);
        Assert.True(view.IsSynced);
        Assert.True(view.ContainsHeader(Chain[9].Hash));
        Assert.Equal(Chain[9].Hash, view.LatestFinalized!.Hash);
    }

    [Fact]
    public void Serves_no_checkpoint_before_the_finalized_header_is_stored()
    {
        using var store = new InMemoryKeyValueStore();
        var target = new HeaderSyncTarget(HeaderChainGenerator.Checkpoint(Chain[0]));
        target.Advance(Chain[9]);

        Assert.Null(new StoreChainView(store, target, [StageId.Headers]).LatestFinalized);
    }
}
