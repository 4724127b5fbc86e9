using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Xunit;

namespace Mgr.Node.Tests.Swarm;

public sealed class RequestBookTests
{
    private static readonly PeerHandle Alice = new(1);
    private static readonly PeerHandle Bob = new(2);
    private static readonly ChunkId Chunk = new KeyspacePartition(1).ChunkAt(3);

    private static PendingRequest Pull(PeerHandle peer, TimeSpan sentAt) => new(peer, PendingKind.StateData, Chunk, [], sentAt);

    [Fact]
    public void A_response_from_another_peer_or_of_another_kind_leaves_the_request_outstanding()
    {
        var book = new RequestBook();
        ulong id = book.NextId();
        book.Add(id, Pull(Alice, TimeSpan.Zero));

        Assert.False(book.TryTake(id, Bob, PendingKind.StateData, out _));
        Assert.False(book.TryTake(id, Alice, PendingKind.ChunkDiff, out _));
        Assert.False(book.TryTake(id + 1, Alice, PendingKind.StateData, out _));
        Assert.Equal(1, book.Count);
        Assert.True(book.IsRequested(Chunk));

        Assert.True(book.TryTake(id, Alice, null, out PendingRequest taken));
        Assert.Equal(Alice, taken.Peer);
        Assert.Equal(0, book.Count);
        Assert.False(book.IsRequested(Chunk));
        Assert.False(book.TryTake(id, Alice, null, out _));
    }

    [Fact]
    public void Counts_each_peers_requests_in_flight_until_answered_expired_or_dropped()
    {
        var book = new RequestBook();
        ulong first = book.NextId(), second = book.NextId(), third = book.NextId();
        book.Add(first, Pull(Alice, TimeSpan.Zero));
        book.Add(second, new PendingRequest(Alice, PendingKind.BlockHeaders, null, [], TimeSpan.FromSeconds(5)));
        book.Add(third, new PendingRequest(Bob, PendingKind.StateDiff, null, [], TimeSpan.FromSeconds(5)));
        Assert.Equal(2, book.InFlightTo(Alice));
        Assert.Equal(1, book.InFlightTo(Bob));

        Assert.False(book.TryTake(first, Bob, null, out _)); // a wrong peer's answer settles nothing
        Assert.Equal(2, book.InFlightTo(Alice));
        Assert.True(book.TryTake(first, Alice, null, out _));
        Assert.Equal(1, book.InFlightTo(Alice));

        book.TakeSentBefore(TimeSpan.FromSeconds(10));
        Assert.Equal(0, book.InFlightTo(Alice));
        Assert.Equal(0, book.InFlightTo(Bob));
        Assert.Equal(0, book.InFlightTo(new PeerHandle(99)));
    }

    [Fact]
    public void A_chunk_asked_of_two_peers_stays_requested_until_both_are_settled()
    {
        var book = new RequestBook();
        ulong first = book.NextId(), second = book.NextId();
        book.Add(first, Pull(Alice, TimeSpan.Zero));
        book.Add(second, Pull(Bob, TimeSpan.FromSeconds(1)));
        Assert.Equal(2, book.RequestsFor(Chunk));
        Assert.Equal([Alice, Bob], book.Outstanding(PendingKind.StateData).Select(static r => r.Peer));

        Assert.True(book.TryTake(second, Bob, PendingKind.StateData, out _));
        Assert.Equal(1, book.RequestsFor(Chunk));
        Assert.True(book.IsRequested(Chunk));

        Assert.Single(book.TakeSentBefore(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, book.RequestsFor(Chunk));
        Assert.False(book.IsRequested(Chunk));
    }

    [Fact]
    public void Ids_are_never_reused()
    {
        var book = new RequestBook();
        var ids = new HashSet<ulong>();
        for (int i = 0; i < 100; i++) Assert.True(ids.Add(book.NextId()));
        Assert.DoesNotContain(0UL, ids); // 0 marks an unsolicited push
    }

    [Fact]
    public void Expiry_and_a_peer_leaving_take_exactly_their_requests()
    {
        var book = new RequestBook();
        book.Add(book.NextId(), Pull(Alice, TimeSpan.FromSeconds(1)));
        book.Add(book.NextId(), new PendingRequest(Bob, PendingKind.ByteCodes, null, [Hash256.Parse("0x" + new string('a', 64))], TimeSpan.FromSeconds(5)));
        book.Add(book.NextId(), new PendingRequest(Bob, PendingKind.BlockHeaders, null, [], TimeSpan.FromSeconds(2)));
        Assert.True(book.AnyCodes);

        List<PendingRequest> expired = book.TakeSentBefore(TimeSpan.FromSeconds(3));
        Assert.Equal([PendingKind.StateData, PendingKind.BlockHeaders], expired.Select(static r => r.Kind).Order());
        Assert.False(book.IsRequested(Chunk));

        List<PendingRequest> left = book.TakeOf(Bob);
        Assert.Equal(PendingKind.ByteCodes, Assert.Single(left).Kind);
        Assert.False(book.AnyCodes);
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void A_new_epoch_lets_chunks_be_asked_again_while_old_requests_can_still_be_answered()
    {
        var book = new RequestBook();
        ulong id = book.NextId();
        book.Add(id, Pull(Alice, TimeSpan.Zero));
        book.ForgetChunks();
        Assert.False(book.IsRequested(Chunk));
        Assert.True(book.TryTake(id, Alice, PendingKind.StateData, out _));
    }

    [Fact]
    public void A_timed_out_request_is_known_as_late_once_for_its_own_peer_and_only_the_latest_are_remembered()
    {
        var book = new RequestBook();
        ulong first = book.NextId();
        book.Add(first, Pull(Alice, TimeSpan.Zero));
        ulong left = book.NextId();
        book.Add(left, Pull(Bob, TimeSpan.FromSeconds(2)));
        Assert.False(book.TakeLate(first, Alice)); // outstanding, not late

        book.TakeSentBefore(TimeSpan.FromSeconds(1));
        book.TakeOf(Bob);

        Assert.False(book.TakeLate(first, Bob));
        Assert.True(book.TakeLate(first, Alice));
        Assert.False(book.TakeLate(first, Alice)); // a second copy is unsolicited
        Assert.False(book.TakeLate(left, Bob)); // a peer that left did not time out

        var ids = new List<ulong>();
        for (int i = 0; i <= RequestBook.LateRemembered; i++)
        {
            ids.Add(book.NextId());
            book.Add(ids[^1], new PendingRequest(Alice, PendingKind.BlockHeaders, null, [], TimeSpan.FromSeconds(2)));
            book.TakeSentBefore(TimeSpan.FromSeconds(3));
        }
        Assert.False(book.TakeLate(ids[0], Alice));
        Assert.True(book.TakeLate(ids[1], Alice));
        Assert.True(book.TakeLate(ids[^1], Alice));
    }
}
