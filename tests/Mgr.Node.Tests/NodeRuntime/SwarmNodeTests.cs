using Mgr.Node.NodeRuntime;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.NodeRuntime;

public sealed class SwarmNodeTests
{
    [Fact]
    public async Task A_leecher_with_a_rocksdb_store_syncs_from_a_bootnode_seeder_and_its_store_verifies_after_reopening()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mgr-swarm-node-" + Guid.NewGuid().ToString("N"));
        TestState state = SwarmEngineSimulationTests.SmallState(8);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        var swarm = new SwarmOptions { GenesisHash = SwarmHarness.Genesis, NetworkId = 7 };
        var seederStore = new InMemoryKeyValueStore();
        state.CopyTo(seederStore);
        try
        {
            await using (SwarmNode seeder = SwarmNode.Start(Ed25519IdentityKey.Generate(), seederStore,
                             new SwarmNodeOptions { Swarm = swarm with { Role = Role.Seeder }, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] }))
            {
                seeder.OnEpochFinalized(anchor);
                using RocksDbStore leecherStore = RocksDbStore.Open(directory);
                await using SwarmNode leecher = SwarmNode.Start(Ed25519IdentityKey.Generate(), leecherStore,
                    new SwarmNodeOptions { Swarm = swarm, Listen = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")], Bootnodes = seeder.Addresses });
                leecher.OnEpochFinalized(anchor);
                DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (DateTime.UtcNow < deadline && !await leecher.ReadAsync(static engine => engine.IsSynced)) await Task.Delay(100);
                Assert.True(await leecher.ReadAsync(static engine => engine.IsSynced));
            }
            using RocksDbStore reopened = RocksDbStore.Open(directory);
            StateVerification verification = StateRootVerifier.Verify(reopened, state.Root);
            Assert.True(verification.IsValid, verification.Problem);
            Assert.Equal(state.AccountCount, verification.Accounts);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
