using Mgr.Node.Devnet;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Tests.State;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Devnet;

public sealed class DevnetFollowerTests
{
    [Fact]
    public async Task Keeps_a_second_store_in_sync_with_the_producer()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 10);
        using RocksDbStore producerStore = RocksDbStore.Open(directory.StorePath);
        using DevnetProducer producer = DevnetProducer.Open(directory, producerStore, [], new DevnetProducerOptions(), TimeProvider.System);
        using var followerStore = new InMemoryKeyValueStore();
        using DevnetFollower follower = DevnetFollower.Open(directory, followerStore, Path.Combine(temp.Path, "tmp"));

        Assert.Equal(10, follower.CatchUp());
        Assert.Equal(producer.Chain.Head.Hash, follower.Head.Hash);
        for (int round = 0; round < 3; round++)
        {
            await producer.ProduceAsync(CancellationToken.None);
            await producer.ProduceAsync(CancellationToken.None);
            Assert.Equal(2, follower.CatchUp());
            Assert.Equal(producer.Chain.Head.Hash, follower.Head.Hash);
        }

        Assert.Equal(producer.Chain.Head.Hash, StoredChain.ReadHead(followerStore).Hash);
        ReferenceState produced = ReferenceState.Load(producerStore), followed = ReferenceState.Load(followerStore);
        Assert.Equal(produced.Accounts, followed.Accounts);
        Assert.Equal(produced.Root(), followed.Root());
    }

    [Fact]
    public void A_restarted_follower_resumes_from_its_store()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 8);
        using var store = new InMemoryKeyValueStore();
        using (DevnetFollower first = DevnetFollower.Open(directory, store, temp.Path)) first.CatchUp();

        using DevnetFollower second = DevnetFollower.Open(directory, store, temp.Path);

        Assert.Equal(8UL, second.Head.Number);
        Assert.Equal(0, second.CatchUp());
    }

    [Fact]
    public void A_block_whose_state_root_is_wrong_is_refused_and_nothing_is_stored()
    {
        using var temp = new TemporaryDirectory();
        using var source = new InMemoryKeyValueStore();
        using var target = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(source, temp);
        DevnetChain copy = DevnetFixtures.SmallChain(target, temp);
        DevnetBlock good = chain.ProduceNext();
        BlockHeader forged = chain.BuildHeader(chain.Genesis, chain.Genesis.StateRoot, good.Header.Timestamp);

        var e = Assert.Throws<StateApplyException>(() => DevnetFollower.ApplyBlock(target, copy.Genesis, new DevnetBlock(forged, good.Diff)));

        Assert.Equal(StateApplyError.RootMismatch, e.Reason);
        Assert.Equal(0UL, StoredChain.ReadHead(target).Number);
        DevnetFollower.ApplyBlock(target, copy.Genesis, good);
        Assert.Equal(good.Header.Hash, StoredChain.ReadHead(target).Hash);
    }

    [Fact]
    public void A_block_that_does_not_extend_the_head_is_refused()
    {
        using var temp = new TemporaryDirectory();
        using var source = new InMemoryKeyValueStore();
        using var target = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(source, temp);
        DevnetChain copy = DevnetFixtures.SmallChain(target, temp);
        chain.ProduceNext();
        DevnetBlock second = chain.ProduceNext();

        Assert.Throws<DevnetException>(() => DevnetFollower.ApplyBlock(target, copy.Genesis, second));
    }
}
