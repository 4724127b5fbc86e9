using Mgr.Node.Chain;
using Mgr.Node.Headers;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Headers;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.NodeRuntime;

public sealed class LeecherPipelineTests
{
    private const ulong EpochLength = 16;

    [Fact]
    public async Task A_restarted_node_whose_state_stage_completed_hands_that_epoch_to_the_swarm_before_any_finalized_block()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(20, seed: 41);
        using var store = StoreWithState(chain, stateCheckpoint: new StageCheckpoint(17, ReadOnlyMemory<byte>.Empty));
        var swarm = new RecordingSwarm();

        await RunWithoutEventsAsync(store, chain, swarm);

        EpochAnchor anchor = Assert.Single(swarm.Offered);
        Assert.Equal(new EpochAnchor(1, chain[16].Hash, chain[16].StateRoot), anchor);
    }

    [Fact]
    public async Task A_node_whose_state_stage_is_still_in_progress_leaves_the_hand_over_to_the_stage()
    {
        BlockHeader[] chain = HeaderChainGenerator.Generate(20, seed: 42);
        using var store = StoreWithState(chain, stateCheckpoint: new StageCheckpoint(0, new byte[SwarmStage.CursorLength]));
        var swarm = new RecordingSwarm();

        await RunWithoutEventsAsync(store, chain, swarm);

        Assert.Empty(swarm.Offered);
    }

    private static InMemoryKeyValueStore StoreWithState(BlockHeader[] chain, StageCheckpoint stateCheckpoint)
    {
        var store = new InMemoryKeyValueStore();
        using IWriteBatch batch = store.BeginBatch();
        foreach (BlockHeader header in chain)
        {
            HeaderStore.Write(batch, header.Number, header.Hash, header.Encode());
            HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
        }
        StageCheckpoints.Save(batch, StageId.State, stateCheckpoint);
        batch.Commit();
        return store;
    }

    // The consensus driver says nothing (a static chain whose finality has not moved since the stop).
    private static async Task RunWithoutEventsAsync(InMemoryKeyValueStore store, BlockHeader[] chain, RecordingSwarm swarm)
    {
        var options = new HeaderSyncOptions();
        await using var pipeline = new LeecherPipeline(store, HeaderChainGenerator.Checkpoint(chain[0]), [], swarm, new EpochSchedule(EpochLength), options, backfill: null);
        var events = new ConsensusEventChannel();
        events.Complete();
        await pipeline.RunAsync(events, CancellationToken.None);
    }

    private sealed class RecordingSwarm : ISwarmControl
    {
        public List<EpochAnchor> Offered { get; } = [];

        public void OnEpochFinalized(EpochAnchor anchor) => Offered.Add(anchor);

        public Task<SwarmProgress> ProgressAsync(CancellationToken cancellation) =>
            Task.FromResult(new SwarmProgress(null, Role.Leecher, KeyRangeSet.Empty, 0, 0, Synced: false));
    }
}
