using Mgr.Node.Chain;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Follow;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Node.Tests.NodeRuntime;

public sealed class FollowModeTests
{
    [Fact]
    public async Task A_head_whose_diff_no_peer_has_yet_is_asked_for_again_without_waiting_for_the_next_head()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(1);
        BlockSource source = new BlockSource().Add(fixture.Main);
        int asked = 0;
        source.OnGetDiff = block => Interlocked.Increment(ref asked) == 1 ? null : block.Diff.Encode();
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        await using var mode = new FollowMode(store, source.Sources(), NullLogger.Instance);
        mode.Resume();

        mode.Publish(new HeadUpdated(fixture.Main[0].Header.Hash, Hash256.Zero, Hash256.Zero));

        Assert.True(await Eventually.HoldsAsync(() => mode.HeadNumber == 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(2, Volatile.Read(ref asked));
    }

    [Fact]
    public async Task Once_it_started_following_a_killed_node_follows_again_though_the_pipeline_had_not_recorded_the_verification()
    {
        using var fixture = new FollowFixture();
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        using (IWriteBatch batch = store.BeginBatch())
        {
            SyncProgressStore.MarkHeld(store, batch, fixture.Genesis.StateRoot, new KeyInterval(Hash256.Zero, Hash256.MaxValue));
            batch.Commit();
        }
        await using var mode = new FollowMode(store, new BlockSource().Sources(), NullLogger.Instance);
        Assert.False(FollowMode.CanResume(store));

        mode.StartAt(fixture.Genesis);

        // The crash window: sync progress is gone and the Verify stage is not recorded yet; the marker must carry it.
        Assert.Empty(SyncProgressStore.ReadAll(store));
        Assert.Null(Mgr.Node.Stages.StageCheckpoints.Read(store, Mgr.Node.Stages.StageId.Verify));
        Assert.True(FollowMode.CanResume(store));
    }

    [Fact]
    public async Task A_head_no_peer_ever_serves_is_asked_for_a_bounded_number_of_times()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(1);
        BlockSource source = new BlockSource().Add(fixture.Main);
        int asked = 0;
        source.OnGetDiff = _ =>
        {
            Interlocked.Increment(ref asked);
            return null;
        };
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        await using var mode = new FollowMode(store, source.Sources(), NullLogger.Instance);
        mode.Resume();

        mode.Publish(new HeadUpdated(fixture.Main[0].Header.Hash, Hash256.Zero, Hash256.Zero));
        Assert.True(await Eventually.HoldsAsync(() => Volatile.Read(ref asked) == 1 + FollowMode.UnavailableRetries, TimeSpan.FromSeconds(30)));
        await Task.Delay(FollowMode.UnavailableRetryDelay * 2);

        Assert.Equal(1 + FollowMode.UnavailableRetries, Volatile.Read(ref asked));
        Assert.Equal(0, mode.HeadNumber);
    }
}
