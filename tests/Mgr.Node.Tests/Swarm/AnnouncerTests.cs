using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Xunit;

namespace Mgr.Node.Tests.Swarm;

public sealed class AnnouncerTests
{
    private static readonly EpochAnchor Anchor = new(10, Hash256.Parse("0x" + new string('1', 64)), Hash256.Parse("0x" + new string('2', 64)));
    private static readonly KeyspacePartition Chunks = new(1);
    private static readonly SwarmOptions Options = new() { NetworkId = 7, HaveBatchChunks = 2, HaveBatchInterval = TimeSpan.FromSeconds(1) };

    private static (Announcer Announcer, LeecherHoldings Holdings, List<(PeerHandle Peer, IMessage Message)> Sent) Create(params RemotePeer[] peers)
    {
        var holdings = new LeecherHoldings();
        var sent = new List<(PeerHandle, IMessage)>();
        var announcer = new Announcer(Options, holdings, peers.ToDictionary(static peer => peer.Handle), (peer, message) =>
        {
            sent.Add((peer, message));
            return message.EncodedLength();
        });
        return (announcer, holdings, sent);
    }

    private static RemotePeer PastStatus(int id)
    {
        var peer = new RemotePeer(new PeerHandle(id));
        peer.Adopt(new Status(1, 7, default, default, default, default, Role.Leecher, null, KeyRangeSet.Empty, []));
        return peer;
    }

    [Fact]
    public void A_leecher_claims_nothing_of_its_epoch_until_it_announced_it()
    {
        (Announcer announcer, LeecherHoldings holdings, _) = Create();
        holdings.AddAccounts(Chunks.ChunkAt(3).Range);

        Status before = announcer.StatusOf(Role.Leecher, Anchor, depth: 1);
        announcer.EpochAnnounced = true;
        Status after = announcer.StatusOf(Role.Leecher, Anchor, depth: 1);
        Status seeder = announcer.StatusOf(Role.Seeder, Anchor, depth: 1);

        Assert.Null(before.Epoch);
        Assert.True(before.HaveAccounts.IsEmpty);
        Assert.Equal(Anchor.BoundaryHash, after.Epoch!.Value.BoundaryHash);
        Assert.True(after.HaveAccounts.Contains(Chunks.ChunkAt(3).Range));
        Assert.Equal(Role.Seeder, seeder.Role);
        Assert.True(seeder.HaveAccounts.IsFull);
    }

    [Fact]
    public void Haves_go_out_when_the_batch_fills_only_to_peers_past_the_status_exchange_and_only_once_announced()
    {
        RemotePeer ready = PastStatus(1);
        var connecting = new RemotePeer(new PeerHandle(2));
        (Announcer announcer, _, List<(PeerHandle Peer, IMessage Message)> sent) = Create(ready, connecting);

        announcer.Have(Chunks.ChunkAt(1), Anchor, TimeSpan.Zero);
        announcer.Have(Chunks.ChunkAt(2), Anchor, TimeSpan.Zero); // full, but the epoch is not announced yet
        Assert.Empty(sent);

        announcer.EpochAnnounced = true;
        announcer.Have(Chunks.ChunkAt(4), Anchor, TimeSpan.Zero);
        (PeerHandle peer, IMessage message) = Assert.Single(sent);
        Assert.Equal(ready.Handle, peer);
        Haves haves = Assert.IsType<Haves>(message);
        Assert.True(haves.Accounts.Contains(Chunks.ChunkAt(4).Range));

        announcer.Have(Chunks.ChunkAt(5), Anchor, TimeSpan.Zero);
        announcer.Broadcast(Role.Leecher, Anchor, depth: 1); // the Status says it all: the pending Haves are dropped
        announcer.FlushHaves(Anchor, TimeSpan.FromSeconds(5), force: true);
        Assert.Equal(3, sent.Count);
        Assert.All(sent.Skip(1), static entry => Assert.IsType<Status>(entry.Message));
    }
}
