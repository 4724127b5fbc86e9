using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using WireStateDiff = Mgr.Protocol.Messages.StateDiff;

namespace Mgr.Node.Tests.Follow;

public sealed class StateDiffServerTests
{
    // A seeder's store kept current by the devnet follower path, which records each block's diff.
    private static InMemoryKeyValueStore Seeder(FollowFixture fixture)
    {
        InMemoryKeyValueStore store = fixture.NewFollowerStore();
        BlockHeader parent = fixture.Genesis;
        foreach (DevnetBlock block in fixture.Main)
        {
            DevnetFollower.ApplyBlock(store, parent, block);
            parent = block.Header;
        }
        return store;
    }

    [Fact]
    public void Serves_the_kept_diff_of_exactly_the_named_block()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(3);
        using InMemoryKeyValueStore store = Seeder(fixture);
        BlockHeader block = fixture.Main[1].Header;

        IResponse response = StateDiffServer.Serve(store, new GetStateDiff(7, new BlockRef(block.Hash, block.Number)));

        WireStateDiff diff = Assert.IsType<WireStateDiff>(response);
        Assert.Equal((7UL, new BlockRef(block.Hash, block.Number)), (diff.RequestId, diff.Block));
        Assert.Equal(fixture.Main[1].Diff.Encode(), diff.Diff.ToArray());
    }

    [Fact]
    public void A_block_not_held_or_named_with_another_number_is_unknown()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(3);
        using InMemoryKeyValueStore store = Seeder(fixture);
        BlockHeader block = fixture.Main[1].Header;

        IResponse wrongNumber = StateDiffServer.Serve(store, new GetStateDiff(1, new BlockRef(block.Hash, block.Number + 1)));
        IResponse unknown = StateDiffServer.Serve(store, new GetStateDiff(2, new BlockRef(Hash256.MaxValue, block.Number)));

        Assert.Equal(new Unavailable(1, UnavailableReason.UnknownEpoch), wrongNumber);
        Assert.Equal(new Unavailable(2, UnavailableReason.UnknownEpoch), unknown);
    }

    [Fact]
    public void A_block_below_the_kept_window_is_answered_diff_window_passed()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(4);
        using InMemoryKeyValueStore store = Seeder(fixture);
        using (IWriteBatch batch = store.BeginBatch())
        {
            StateDiffStore.DeleteBelow(batch, 3);
            batch.Commit();
        }
        BlockHeader old = fixture.Main[0].Header;

        IResponse response = StateDiffServer.Serve(store, new GetStateDiff(3, new BlockRef(old.Hash, old.Number)));

        Assert.Equal(new Unavailable(3, UnavailableReason.DiffWindowPassed), response);
    }

    [Fact]
    public void The_swarm_server_answers_get_state_diff()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = Seeder(fixture);
        BlockHeader block = fixture.Main[0].Header;

        IResponse response = SwarmServer.Serve(new ServingView(store, [], _ => false), new GetStateDiff(9, new BlockRef(block.Hash, block.Number)));

        Assert.Equal(fixture.Main[0].Diff.Encode(), Assert.IsType<WireStateDiff>(response).Diff.ToArray());
    }

    [Fact]
    public void A_non_finalized_layer_is_served_from_memory_when_the_lookup_is_given()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        Assert.True(tree.TryAdd(fixture.Main[0].Header, fixture.Main[0].Diff.Encode(), out _));
        BlockHeader block = fixture.Main[0].Header;
        var request = new GetStateDiff(4, new BlockRef(block.Hash, block.Number));

        IResponse withLayers = StateDiffServer.Serve(store, request, tree.TryGetLayerDiff);
        IResponse storeOnly = StateDiffServer.Serve(store, request);

        Assert.Equal(fixture.Main[0].Diff.Encode(), Assert.IsType<WireStateDiff>(withLayers).Diff.ToArray());
        Assert.IsType<Unavailable>(storeOnly);
    }

    [Fact]
    public async Task A_follower_fetching_over_the_wire_format_from_a_seeder_reaches_and_finalizes_the_head()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(12);
        using InMemoryKeyValueStore seeder = Seeder(fixture);
        var view = new ServingView(seeder, [], _ => false);
        ulong nextId = 1;
        var sources = new FollowSources(
            (hash, _) => ValueTask.FromResult(StateHistory.ReadHeader(seeder, HeaderStore.TryReadNumber(seeder, hash, out ulong n) ? n : 0, hash)),
            (header, _) =>
            {
                // Request and response each go through their frame encoding and the strict decoder, as on a stream.
                IMessage request = RoundTrip(new GetStateDiff(nextId++, new BlockRef(header.Hash, header.Number)));
                IMessage response = RoundTrip(SwarmServer.Serve(view, (IRequest)request));
                return ValueTask.FromResult<ReadOnlyMemory<byte>?>(response is WireStateDiff diff && diff.Block.Hash == header.Hash ? diff.Diff : null);
            });
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, sources);

        FollowOutcome head = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);
        FollowOutcome final = await follower.FinalizeAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal((FollowStatus.Followed, 12), (head.Status, head.Added));
        Assert.Equal(12, final.Flattened);
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[^1].Header.StateRoot).IsValid);
    }

    private static IMessage RoundTrip(IMessage message)
    {
        var frame = new System.Buffers.ReadOnlySequence<byte>(FrameCodec.Encode(message));
        Assert.True(FrameCodec.TryRead(ref frame, out Frame read));
        return MessageDecoder.Decode(read.Code, read.Payload.Span);
    }
}
