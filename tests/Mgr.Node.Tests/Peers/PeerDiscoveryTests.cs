using Mgr.Node.NodeRuntime;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Peers;

public sealed class PeerDiscoveryTests
{
    private static readonly SwarmOptions Swarm = new() { GenesisHash = SwarmHarness.Genesis, NetworkId = 7 };

    [Fact]
    public async Task Leechers_given_only_the_seeder_as_bootnode_find_each_other_through_peer_exchange()
    {
        await using SwarmNode seeder = Start(Role.Seeder, [], targetPeers: 16);
        await using SwarmNode first = Start(Role.Leecher, seeder.Addresses, targetPeers: 16);
        await using SwarmNode second = Start(Role.Leecher, seeder.Addresses, targetPeers: 16);

        Assert.True(await Eventually.HoldsAsync(() => Connected(first, second) && first.Transport.SessionCount == 2 && second.Transport.SessionCount == 2,
                                          TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Nodes_at_their_target_dial_nobody_else_though_the_peers_are_known()
    {
        await using SwarmNode seeder = Start(Role.Seeder, [], targetPeers: 16);
        await using SwarmNode first = Start(Role.Leecher, seeder.Addresses, targetPeers: 1);
        await using SwarmNode second = Start(Role.Leecher, seeder.Addresses, targetPeers: 1);
        Assert.True(await Eventually.HoldsAsync(() => seeder.Discovery.KnownPeers == 2, TimeSpan.FromSeconds(60)));

        await Task.Delay(PeerDiscovery.Interval * 3);

        Assert.False(Connected(first, second));
        Assert.False(Connected(second, first));
    }

    private static SwarmNode Start(Role role, IReadOnlyList<Multiaddr> bootnodes, int targetPeers) =>
        SwarmNode.Start(Ed25519IdentityKey.Generate(), new InMemoryKeyValueStore(), new SwarmNodeOptions
        {
            Swarm = Swarm with { Role = role }, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = bootnodes, TargetPeers = targetPeers,
        });

    private static bool Connected(SwarmNode from, SwarmNode to) => from.Transport.HasSession(to.Host.PeerId);
}
