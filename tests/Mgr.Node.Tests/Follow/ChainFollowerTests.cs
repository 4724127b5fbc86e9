using Mgr.Node.Chain;
using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Follow;

public sealed class ChainFollowerTests
{
    private const int ForkAfter = 5;

    private static async Task FollowEach(ChainFollower follower, IEnumerable<DevnetBlock> blocks)
    {
        foreach (DevnetBlock block in blocks)
        {
            FollowOutcome outcome = await follower.UpdateHeadAsync(block.Header.Hash, CancellationToken.None);
            Assert.Equal(FollowStatus.Followed, outcome.Status);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task A_reorg_moves_the_head_across_branches_without_refetching_seen_blocks(int depth)
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(ForkAfter + depth);
        List<DevnetBlock> fork = fixture.Fork(ForkAfter, depth + 1, salt: 1);
        BlockSource source = new BlockSource().Add(fixture.Main).Add(fork);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());
        await FollowEach(follower, fixture.Main);
        int fetchedOnMain = source.TotalDiffFetches;

        FollowOutcome toFork = await follower.UpdateHeadAsync(fork[^1].Header.Hash, CancellationToken.None);
        FollowOutcome back = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);
        FollowOutcome again = await follower.UpdateHeadAsync(fork[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(ForkAfter + depth, fetchedOnMain);
        Assert.Equal(FollowStatus.Followed, toFork.Status);
        Assert.Equal((depth, depth + 1), (toFork.Move!.Reverted, toFork.Move.Applied));
        Assert.Equal(fixture.Main[ForkAfter - 1].Header.Hash, toFork.Move.Ancestor.Hash);
        Assert.Equal(depth + 1, toFork.Added);
        Assert.Equal((depth + 1, depth, 0), (back.Move!.Reverted, back.Move.Applied, back.Fetched));
        Assert.Equal((depth, depth + 1, 0), (again.Move!.Reverted, again.Move.Applied, again.Fetched));
        Assert.Equal(ForkAfter + depth + depth + 1, source.TotalDiffFetches);
        Assert.All(source.DiffFetches.Values, count => Assert.Equal(1, count));
        Assert.Equal(ForkAfter + 2 * depth + 1, source.HeaderFetches);
        Assert.Equal(fork[^1].Header.Hash, follower.Layers.Head.Hash);
        Assert.True(StateRootVerifier.Verify(follower.Layers.HeadState, fork[^1].Header.StateRoot).IsValid);
        Assert.True(StateRootVerifier.Verify(follower.Layers.StateAt(fixture.Main[^1].Header.Hash), fixture.Main[^1].Header.StateRoot).IsValid);
    }

    [Fact]
    public async Task A_head_several_blocks_ahead_is_reached_in_one_step_fetching_each_diff_once()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(20);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources(), new FollowOptions { MaxParallelFetches = 4 });

        FollowOutcome outcome = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.Followed, outcome.Status);
        Assert.Equal((20, 20, 20), (outcome.Added, outcome.Fetched, source.TotalDiffFetches));
        Assert.True(StateRootVerifier.Verify(follower.Layers.HeadState, fixture.Main[^1].Header.StateRoot).IsValid);
    }

    [Fact]
    public async Task Headers_announced_in_payloads_are_not_fetched()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());

        foreach (DevnetBlock block in fixture.Main)
        {
            await follower.HandleAsync(new PayloadReceived(block.Header), CancellationToken.None);
            await follower.HandleAsync(new HeadUpdated(block.Header.Hash, Hash256.Zero, Hash256.Zero), CancellationToken.None);
        }

        Assert.Equal(0, source.HeaderFetches);
        Assert.Equal(fixture.Main[^1].Header.Hash, follower.Layers.Head.Hash);
    }

    [Fact]
    public async Task A_bad_diff_is_reported_with_its_reason_and_the_block_is_fetched_again()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(3);
        BlockSource source = new BlockSource().Add(fixture.Main);
        DevnetBlock victim = fixture.Main[1];
        bool lied = false;
        source.OnGetDiff = block =>
        {
            if (block != victim || lied) return block.Diff.Encode();
            lied = true;
            return fixture.Main[2].Diff.Encode();
        };
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());

        FollowOutcome outcome = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.Followed, outcome.Status);
        DiffRejection rejection = Assert.Single(source.Rejections);
        Assert.Equal((victim.Header.Hash, victim.Header.Number, DiffRejectionReason.RootMismatch), (rejection.Hash, rejection.Number, rejection.Reason));
        Assert.Equal(2, source.DiffFetches[victim.Header.Hash]);
        Assert.Equal(1, follower.Rejections);
        Assert.True(StateRootVerifier.Verify(follower.Layers.HeadState, fixture.Main[^1].Header.StateRoot).IsValid);
    }

    [Fact]
    public async Task A_block_nobody_answers_honestly_ends_the_step_as_rejected_after_the_attempts()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        BlockSource source = new BlockSource().Add(fixture.Main);
        source.OnGetDiff = block => new byte[] { 0xc0 };
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources(), new FollowOptions { MaxFetchAttempts = 3 });

        FollowOutcome outcome = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.Rejected, outcome.Status);
        Assert.Equal(DiffRejectionReason.MalformedDiff, outcome.Rejection!.Reason);
        Assert.Equal(3, source.DiffFetches[fixture.Main[0].Header.Hash]);
        Assert.Equal(3, source.Rejections.Count);
        Assert.Equal(fixture.Genesis.Hash, follower.Layers.Head.Hash);
        Assert.Equal(0, follower.Layers.LayerCount);
    }

    [Fact]
    public async Task A_header_that_does_not_hash_to_the_asked_hash_is_rejected_as_wrong_header()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        BlockSource source = new BlockSource().Add(fixture.Main);
        FollowSources honest = source.Sources();
        var rejections = new List<DiffRejection>();
        var lying = new FollowSources((_, _) => ValueTask.FromResult<Mgr.Trie.Headers.BlockHeader?>(fixture.Main[0].Header), honest.FetchDiff, rejections.Add);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, lying);

        FollowOutcome outcome = await follower.UpdateHeadAsync(fixture.Main[1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.Rejected, outcome.Status);
        Assert.Equal(DiffRejectionReason.WrongHeader, outcome.Rejection!.Reason);
        Assert.Equal(3, rejections.Count);
        Assert.Equal(0, source.TotalDiffFetches);
    }

    [Fact]
    public async Task Missing_answers_leave_the_step_unavailable_and_a_later_step_fetches_only_what_is_missing()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(4);
        BlockSource source = new BlockSource().Add(fixture.Main);
        source.OnGetDiff = block => block.Header.Number == 3 ? (ReadOnlyMemory<byte>?)null : block.Diff.Encode();
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources(), new FollowOptions { MaxParallelFetches = 1 });

        FollowOutcome first = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);
        source.OnGetDiff = block => block.Diff.Encode();
        FollowOutcome second = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal((FollowStatus.Unavailable, 2), (first.Status, first.Added));
        Assert.Equal(fixture.Genesis.Hash, first.Head.Hash);
        Assert.Equal((FollowStatus.Followed, 2), (second.Status, second.Added));
        Assert.Equal(1, source.DiffFetches[fixture.Main[0].Header.Hash]);
        Assert.Equal(2, source.DiffFetches[fixture.Main[2].Header.Hash]);
    }

    [Fact]
    public async Task Past_the_layer_limit_the_follower_stops_until_finalization_and_does_not_grow()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var options = new FollowOptions { MaxLayers = 4 };
        var follower = new ChainFollower(new LayerTree(store, options), store, source.Sources(), options);
        await FollowEach(follower, fixture.Main.Take(4));

        FollowOutcome full = await follower.UpdateHeadAsync(fixture.Main[4].Header.Hash, CancellationToken.None);
        FollowOutcome finalized = await follower.FinalizeAsync(fixture.Main[1].Header.Hash, CancellationToken.None);
        FollowOutcome resumed = await follower.UpdateHeadAsync(fixture.Main[5].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.TooFarAhead, full.Status);
        Assert.Equal(fixture.Main[3].Header.Hash, full.Head.Hash);
        Assert.Equal(2, finalized.Flattened);
        Assert.Equal(FollowStatus.Followed, resumed.Status);
        Assert.Equal(4, follower.Layers.LayerCount);
    }

    [Fact]
    public async Task A_forkchoice_update_past_the_layer_limit_still_finalizes_and_the_next_one_follows()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var options = new FollowOptions { MaxLayers = 4 };
        var follower = new ChainFollower(new LayerTree(store, options), store, source.Sources(), options);
        await FollowEach(follower, fixture.Main.Take(4));
        var update = new HeadUpdated(fixture.Main[5].Header.Hash, Hash256.Zero, fixture.Main[1].Header.Hash);

        FollowOutcome? first = await follower.HandleAsync(update, CancellationToken.None);
        FollowOutcome? second = await follower.HandleAsync(update, CancellationToken.None);

        Assert.Equal((FollowStatus.TooFarAhead, 2), (first!.Status, first.Flattened));
        Assert.Equal(FollowStatus.Followed, second!.Status);
        Assert.Equal(fixture.Main[5].Header.Hash, follower.Layers.Head.Hash);
    }

    [Fact]
    public async Task A_head_further_than_the_layer_limit_from_anything_held_is_too_far_ahead_and_nothing_is_fetched()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var options = new FollowOptions { MaxLayers = 4 };
        var follower = new ChainFollower(new LayerTree(store, options), store, source.Sources(), options);

        FollowOutcome outcome = await follower.UpdateHeadAsync(fixture.Main[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.TooFarAhead, outcome.Status);
        Assert.Equal(0, source.TotalDiffFetches);
    }

    [Fact]
    public async Task Finalizing_the_main_chain_flattens_it_and_drops_the_fork()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(12);
        List<DevnetBlock> fork = fixture.Fork(4, 5, salt: 2);
        BlockSource source = new BlockSource().Add(fixture.Main).Add(fork);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());
        await FollowEach(follower, fixture.Main);
        await FollowEach(follower, [fork[^1], fixture.Main[^1]]);
        Assert.Equal(17, follower.Layers.LayerCount);

        FollowOutcome outcome = await follower.FinalizeAsync(fixture.Main[7].Header.Hash, CancellationToken.None);

        Assert.Equal((FollowStatus.Followed, 8), (outcome.Status, outcome.Flattened));
        Assert.Equal(4, follower.Layers.LayerCount);
        Assert.All(fork, block => Assert.False(follower.Layers.Contains(block.Header.Hash)));
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[7].Header.StateRoot).IsValid);
        Assert.Equal(fixture.Main[^1].Header.Hash, follower.Layers.Head.Hash);
        Assert.True(StateRootVerifier.Verify(follower.Layers.HeadState, fixture.Main[^1].Header.StateRoot).IsValid);
    }

    [Fact]
    public async Task A_forkchoice_update_onto_a_fork_that_finalizes_it_persists_the_forks_state()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(8);
        List<DevnetBlock> fork = fixture.Fork(3, 6, salt: 1);
        BlockSource source = new BlockSource().Add(fixture.Main).Add(fork);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());
        await FollowEach(follower, fixture.Main);

        FollowOutcome? outcome = await follower.HandleAsync(new HeadUpdated(fork[^1].Header.Hash, fork[3].Header.Hash, fork[2].Header.Hash), CancellationToken.None);

        Assert.Equal(FollowStatus.Followed, outcome!.Status);
        Assert.True(outcome.Move!.IsReorg);
        Assert.Equal(6, outcome.Flattened);
        Assert.Equal(fork[2].Header.Hash, follower.Layers.Base.Hash);
        Assert.Equal(3, follower.Layers.LayerCount);
        Assert.True(StateRootVerifier.Verify(store, fork[2].Header.StateRoot).IsValid);
        Assert.True(HeaderStore.TryReadCanonical(store, fork[2].Header.Number, out Hash256 canonical));
        Assert.Equal(fork[2].Header.Hash, canonical);
        Assert.True(StateRootVerifier.Verify(follower.Layers.HeadState, fork[^1].Header.StateRoot).IsValid);
    }

    [Fact]
    public async Task A_head_that_does_not_descend_from_the_finalized_state_conflicts()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        List<DevnetBlock> fork = fixture.Fork(1, 6, salt: 3);
        BlockSource source = new BlockSource().Add(fixture.Main).Add(fork);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());
        await FollowEach(follower, fixture.Main);
        await follower.FinalizeAsync(fixture.Main[3].Header.Hash, CancellationToken.None);

        FollowOutcome outcome = await follower.UpdateHeadAsync(fork[^1].Header.Hash, CancellationToken.None);

        Assert.Equal(FollowStatus.ConflictsWithBase, outcome.Status);
        Assert.Equal(fixture.Main[^1].Header.Hash, follower.Layers.Head.Hash);
        Assert.Equal(0, fork.Sum(block => source.DiffFetches.GetValueOrDefault(block.Header.Hash)));
    }

    [Fact]
    public async Task Runs_from_a_consensus_driver_until_it_ends()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(10);
        BlockSource source = new BlockSource().Add(fixture.Main);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var follower = new ChainFollower(new LayerTree(store), store, source.Sources());
        var events = new List<ConsensusEvent>();
        foreach (DevnetBlock block in fixture.Main)
        {
            Hash256 finalized = block.Header.Number > 2 ? fixture.Main[(int)block.Header.Number - 3].Header.Hash : Hash256.Zero;
            events.Add(new PayloadReceived(block.Header));
            events.Add(new HeadUpdated(block.Header.Hash, Hash256.Zero, finalized));
        }

        await follower.RunAsync(new ListDriver(events), CancellationToken.None);

        Assert.Equal(8UL, follower.Layers.Base.Number);
        Assert.Equal(10UL, follower.Layers.Head.Number);
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[7].Header.StateRoot).IsValid);
    }

    private sealed class ListDriver(List<ConsensusEvent> events) : IConsensusDriver
    {
        public async IAsyncEnumerable<ConsensusEvent> ReadEventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
        {
            foreach (ConsensusEvent consensusEvent in events)
            {
                await Task.Yield();
                yield return consensusEvent;
            }
        }
    }
}
