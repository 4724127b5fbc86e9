using Mgr.Node.Peers;
using Mgr.Node.Swarm;
using Mgr.Node.Swarm.Simulation;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Peers;

public sealed class PeerScoreBookTests
{
    [Fact]
    public void A_stream_of_fresh_identities_does_not_grow_the_book_past_its_cap_once_their_scores_decayed()
    {
        var clock = new VirtualClock();
        var book = new PeerScoreBook(clock, new PenaltyPolicy());
        for (int i = 0; i < PeerScoreBook.MaxTrackedPeers; i++) book.Penalize(new PeerHandle(i), Penalty.Minor);
        var banned = new PeerHandle(-1);
        book.Penalize(banned, Penalty.Fatal);
        clock.AdvanceTo(clock.Now + TimeSpan.FromMinutes(2));

        for (int i = 0; i < 100; i++) book.Penalize(new PeerHandle(100_000 + i), Penalty.Minor);

        Assert.True(book.TrackedPeers <= 102, $"{book.TrackedPeers} peers tracked");
        Assert.True(book.IsBanned(banned));
        Assert.Equal(0, book.PenaltyCount(new PeerHandle(0)));
        Assert.Equal(1, book.PenaltyCount(new PeerHandle(100_000)));
    }

    [Fact]
    public void Peers_still_scored_are_kept_when_the_book_is_full()
    {
        var clock = new VirtualClock();
        var book = new PeerScoreBook(clock, new PenaltyPolicy());
        for (int i = 0; i < PeerScoreBook.MaxTrackedPeers; i++) book.Penalize(new PeerHandle(i), Penalty.Serious);

        book.Penalize(new PeerHandle(-7), Penalty.Minor);

        Assert.Equal(PeerScoreBook.MaxTrackedPeers + 1, book.TrackedPeers);
        Assert.Equal(10, book.Score(new PeerHandle(3)));
    }
}
