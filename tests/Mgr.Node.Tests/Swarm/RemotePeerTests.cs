using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

public sealed class RemotePeerTests
{
    private static readonly Hash256 EpochHash = SwarmHarness.Anchor(1, Hash256.EmptyTrieRoot).BoundaryHash;

    [Fact]
    public void Haves_past_the_interval_cap_are_dropped_and_what_is_kept_was_announced()
    {
        var peer = new RemotePeer(new PeerHandle(1));
        peer.Adopt(StatusWith(KeyRangeSet.Empty, []));
        var random = new Random(3);
        KeyRangeSet announced = KeyRangeSet.Empty;

        for (int i = 0; i < 40; i++)
        {
            KeyRangeSet points = Points(random, 1000);
            announced = announced.Union(points);
            peer.Add(new Haves(EpochHash, points, []));
        }

        Assert.True(announced.Count > RemotePeer.MaxTrackedIntervals);
        Assert.InRange(peer.TrackedIntervals, RemotePeer.MaxTrackedIntervals - 1000, RemotePeer.MaxTrackedIntervals);
        Assert.Equal(peer.Accounts, peer.Accounts.Intersect(announced));
    }

    [Fact]
    public void A_status_with_more_intervals_than_the_cap_keeps_part_of_them()
    {
        var peer = new RemotePeer(new PeerHandle(1));
        KeyRangeSet announced = Points(new Random(4), RemotePeer.MaxTrackedIntervals + 500);

        peer.Adopt(StatusWith(announced, []));

        Assert.InRange(peer.TrackedIntervals, 1, RemotePeer.MaxTrackedIntervals);
        Assert.Equal(peer.Accounts, peer.Accounts.Intersect(announced));
    }

    [Fact]
    public void Storage_have_sets_are_kept_for_at_most_the_cap_of_accounts()
    {
        var peer = new RemotePeer(new PeerHandle(1));
        peer.Adopt(StatusWith(KeyRangeSet.Empty, []));
        var random = new Random(5);

        for (int batch = 0; batch < 3; batch++)
        {
            StorageHave[] storage = [.. Enumerable.Range(0, Limits.MaxStorageHaveEntries).Select(_ => new StorageHave(Key(random), KeyRangeSet.Full)).OrderBy(static entry => entry.Account)];
            peer.Add(new Haves(EpochHash, KeyRangeSet.Empty, storage));
        }

        Assert.Equal(RemotePeer.MaxTrackedStorageAccounts, peer.Storage.Count);
        Assert.Equal(RemotePeer.MaxTrackedStorageAccounts, peer.TrackedIntervals);
    }

    [Fact]
    public void Forgetting_a_chunk_removes_it_from_the_have_set()
    {
        var peer = new RemotePeer(new PeerHandle(1));
        peer.Adopt(StatusWith(KeyRangeSet.Full, []));
        ChunkId chunk = new KeyspacePartition(1).ChunkAt(5);

        peer.Forget(chunk);

        Assert.False(peer.HoldsAccounts(EpochHash, chunk.Range));
        Assert.True(peer.HoldsAccounts(EpochHash, new KeyspacePartition(1).ChunkAt(6).Range));
    }

    [Fact]
    public void The_control_budget_allows_a_burst_then_refills_at_its_rate()
    {
        var peer = new RemotePeer(new PeerHandle(1));
        TimeSpan now = TimeSpan.FromSeconds(10);

        int taken = Enumerable.Range(0, 20).Count(_ => peer.TryTakeControlToken(now, perSecond: 4, burst: 8));
        bool afterHalfASecond = peer.TryTakeControlToken(now + TimeSpan.FromSeconds(0.5), 4, 8);
        int afterAMinute = Enumerable.Range(0, 20).Count(_ => peer.TryTakeControlToken(now + TimeSpan.FromMinutes(1), 4, 8));

        Assert.Equal(8, taken);
        Assert.True(afterHalfASecond);
        Assert.Equal(8, afterAMinute);
    }

    [Fact]
    public void Only_a_peer_seen_leeching_an_epoch_before_it_became_its_seeder_counts_as_having_synced_alongside()
    {
        Hash256 next = SwarmHarness.Anchor(2, Hash256.EmptyTrieRoot).BoundaryHash;
        var synced = new RemotePeer(new PeerHandle(1));
        var seederFromTheStart = new RemotePeer(new PeerHandle(2));
        var seederOfTheNextEpoch = new RemotePeer(new PeerHandle(3));

        synced.Adopt(StatusOf(Role.Leecher, EpochHash));
        Assert.False(synced.IsFinishedLeecherOf(EpochHash)); // still leeching
        synced.Adopt(StatusOf(Role.Seeder, EpochHash));
        seederFromTheStart.Adopt(StatusOf(Role.Seeder, EpochHash));
        seederOfTheNextEpoch.Adopt(StatusOf(Role.Leecher, EpochHash));
        seederOfTheNextEpoch.Adopt(StatusOf(Role.Seeder, next));

        Assert.True(synced.IsFinishedLeecherOf(EpochHash));
        Assert.False(seederFromTheStart.IsFinishedLeecherOf(EpochHash));
        Assert.False(seederOfTheNextEpoch.IsFinishedLeecherOf(next));
    }

    [Fact]
    public void Storage_held_at_the_previous_epoch_counts_as_rolled_forward_at_the_next_until_the_peer_goes_back()
    {
        Hash256 next = SwarmHarness.Anchor(2, Hash256.EmptyTrieRoot).BoundaryHash;
        Hash256 account = Key(new Random(6));
        KeyRange half = new(Hash256.Zero, new KeyspacePartition(1).ChunkAt(7).Range.End);
        var peer = new RemotePeer(new PeerHandle(1));
        peer.Adopt(StatusWith(KeyRangeSet.Empty, [new StorageHave(account, KeyRangeSet.Of(half))]));

        peer.Adopt(LeecherAt(2, next));

        Assert.False(peer.HoldsStorage(next, account, half));
        Assert.True(peer.HoldsOrRollsStorage(next, account, half));
        Assert.False(peer.HoldsOrRollsStorage(next, account, KeyRange.Full));
        Assert.False(peer.HoldsOrRollsStorage(EpochHash, account, half)); // not on that epoch any more

        peer.Adopt(StatusWith(KeyRangeSet.Empty, [])); // back to epoch 1 (a reorg of what it follows): nothing rolls
        Assert.False(peer.HoldsOrRollsStorage(EpochHash, account, half));
    }

    private static Status LeecherAt(ulong number, Hash256 epochHash) =>
        new(1, 7, SwarmHarness.Genesis, default, default, default, Role.Leecher, new Epoch(number, epochHash, Hash256.EmptyTrieRoot, 1), KeyRangeSet.Empty, []);

    private static Status StatusOf(Role role, Hash256 epochHash) =>
        new(1, 7, SwarmHarness.Genesis, default, default, default, role, new Epoch(1, epochHash, Hash256.EmptyTrieRoot, 1), KeyRangeSet.Empty, []);

    private static Status StatusWith(KeyRangeSet accounts, IReadOnlyList<StorageHave> storage) =>
        new(1, 7, SwarmHarness.Genesis, default, default, default, Role.Leecher, new Epoch(1, EpochHash, Hash256.EmptyTrieRoot, 1), accounts, storage);

    private static KeyRangeSet Points(Random random, int count) =>
        KeyRangeSet.From([.. Enumerable.Range(0, count).Select(_ => Key(random)).Select(static key => new KeyRange(key, key))]);

    private static Hash256 Key(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
