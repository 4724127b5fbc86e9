using Mgr.Node.NodeRuntime;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;

namespace Mgr.Node.Tests.Peers;

public sealed class PersistentBansTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_ban_outlives_a_restart_until_it_expires_and_is_then_deleted_from_the_store()
    {
        using var store = new InMemoryKeyValueStore();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        PeerId peer = Ed25519IdentityKey.Generate().PeerId;
        new PersistentBans(store, time).Ban(peer, TimeSpan.FromMinutes(10));

        var restarted = new PersistentBans(store, time);
        bool bannedAfterRestart = restarted.IsBanned(peer);
        time.Now += TimeSpan.FromMinutes(11);
        var muchLater = new PersistentBans(store, time);

        Assert.True(bannedAfterRestart);
        Assert.False(restarted.IsBanned(peer));
        Assert.False(muchLater.IsBanned(peer));
        Assert.Empty(PeerPenaltyStore.ReadAll(store));
    }

    [Fact]
    public async Task A_node_refuses_the_session_of_a_peer_it_banned_before_it_restarted()
    {
        using var bannedKey = Ed25519IdentityKey.Generate();
        var store = new InMemoryKeyValueStore();
        new PersistentBans(store).Ban(bannedKey.PeerId, TimeSpan.FromMinutes(10));
        var swarm = new SwarmOptions { GenesisHash = SwarmHarness.Genesis, NetworkId = 7 };
        await using SwarmNode node = SwarmNode.Start(Ed25519IdentityKey.Generate(), store,
            new SwarmNodeOptions { Swarm = swarm, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] });
        await using SwarmNode other = SwarmNode.Start(Ed25519IdentityKey.Generate(), new InMemoryKeyValueStore(),
            new SwarmNodeOptions { Swarm = swarm, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = node.Addresses });
        await using SwarmNode banned = SwarmNode.Start(bannedKey, new InMemoryKeyValueStore(),
            new SwarmNodeOptions { Swarm = swarm, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = node.Addresses });

        Assert.True(await Eventually.HoldsAsync(() => node.Transport.HasSession(other.Host.PeerId), TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromSeconds(2));


        Assert.False(node.Transport.HasSession(bannedKey.PeerId));
        Assert.True(node.Bans.IsBanned(bannedKey.PeerId));
    }
}
