using System.Diagnostics;
using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Devnet;
using Mgr.Trie.Headers;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.Follow;

public sealed class StateRollbackTests(ITestOutputHelper output)
{
    [Fact]
    public void Rolls_back_1000_blocks_on_rocksdb_to_the_stored_headers_root()
    {
        using var temp = new TemporaryDirectory();
        using RocksDbStore store = RocksDbStore.Open(Path.Combine(temp.Path, "db"));
        DevnetChain chain = DevnetChain.Create(store, DevnetFixtures.Small(), temp.Path);
        var clock = Stopwatch.StartNew();
        foreach (DevnetBlock _ in chain.Produce(1_090)) { }
        TimeSpan produced = clock.Elapsed;

        clock.Restart();
        RollbackResult result = StateRollback.Run(store, 90);
        output.WriteLine($"produced 1,090 blocks in {produced.TotalSeconds:F2} s; rolled back {result.Blocks} in {clock.Elapsed.TotalSeconds:F2} s");

        BlockHeader target = StoredChain.ReadCanonical(store, 90)!;
        Assert.Equal((1_090UL, 90UL, 1_000UL, true), (result.From, result.To, result.Blocks, result.Verified));
        Assert.Equal(target.StateRoot, result.StateRoot);
        Assert.True(StateRootVerifier.Verify(store, target.StateRoot).IsValid);
        Assert.True(StateBlockStore.TryRead(store, out StateBlock marker));
        Assert.Equal(new StateBlock(90, target.Hash, target.StateRoot), marker);
        Assert.True(BackwardDiffStore.Contains(store, 90));
        Assert.False(BackwardDiffStore.Contains(store, 91));
        // Forward diffs were pruned to the serving window at block 1,088 and stay (they are chain data).
        Assert.Equal(1_088UL - StateHistory.ForwardWindowBlocks + 1, StateDiffStore.LowestNumber(store));
    }

    [Fact]
    public void A_rollback_interrupted_between_blocks_leaves_a_consistent_state_and_resumes()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        foreach (DevnetBlock _ in chain.Produce(40)) { }

        Assert.Throws<IOException>(() => StateRollback.Run(store, 5, reached => { if (reached.Number == 25) throw new IOException("simulated crash"); }));
        BlockHeader at25 = StoredChain.ReadCanonical(store, 25)!;
        Assert.Equal(at25.Hash, StateHistory.ReadStateHeader(store)!.Hash);
        Assert.True(StateRootVerifier.Verify(store, at25.StateRoot).IsValid);

        RollbackResult resumed = StateRollback.Run(store, 5);

        Assert.Equal((25UL, 5UL, 20UL, true), (resumed.From, resumed.To, resumed.Blocks, resumed.Verified));
        Assert.True(StateRootVerifier.Verify(store, StoredChain.ReadCanonical(store, 5)!.StateRoot).IsValid);
    }

    [Fact]
    public void Rolls_back_blocks_that_follow_mode_flattened_after_a_reorg()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(20);
        List<DevnetBlock> fork = fixture.Fork(6, 4, salt: 1);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        foreach (DevnetBlock block in fixture.Main.Concat(fork)) Assert.True(tree.TryAdd(block.Header, block.Diff.Encode(), out _));
        tree.SetHead(fork[^1].Header.Hash);
        tree.SetHead(fixture.Main[^1].Header.Hash);
        tree.Finalize(fixture.Main[^1].Header.Hash);

        RollbackResult result = StateRollback.Run(store, 3);

        Assert.True(result.Verified);
        Assert.Equal(17UL, result.Blocks);
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[2].Header.StateRoot).IsValid);
    }

    [Fact]
    public void A_target_above_the_held_state_is_refused_as_bad_input_and_nothing_changes()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        foreach (DevnetBlock _ in chain.Produce(10)) { }

        var e = Assert.Throws<RollbackException>(() => StateRollback.Run(store, 11));

        Assert.Equal(RollbackError.TargetAboveState, e.Error);
        Assert.True(e.IsBadInput);
        Assert.Equal(10UL, StateHistory.ReadStateHeader(store)!.Number);
    }

    [Fact]
    public void A_target_older_than_the_kept_backward_diffs_is_refused_before_anything_changes()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        foreach (DevnetBlock _ in chain.Produce(20)) { }
        using (IWriteBatch batch = store.BeginBatch())
        {
            BackwardDiffStore.DeleteThrough(batch, 8);
            batch.Commit();
        }

        var e = Assert.Throws<RollbackException>(() => StateRollback.Run(store, 5));

        Assert.Equal(RollbackError.BeyondWindow, e.Error);
        Assert.Equal(20UL, StateHistory.ReadStateHeader(store)!.Number);
        Assert.True(StateRollback.Run(store, 8).Verified);
    }

    [Fact]
    public void A_target_more_than_90000_blocks_back_is_refused()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        BlockHeader far = chain.BuildHeader(new BlockHeader
        {
            ParentHash = chain.Genesis.Hash, Coinbase = chain.Genesis.Coinbase, StateRoot = chain.Genesis.StateRoot, Difficulty = chain.Genesis.Difficulty,
            Number = 99_999, GasLimit = chain.Genesis.GasLimit, GasUsed = 0, Timestamp = chain.Genesis.Timestamp, MixHash = chain.Genesis.MixHash, Nonce = 0,
            BaseFeePerGas = chain.Genesis.BaseFeePerGas,
        }, chain.Genesis.StateRoot, chain.Genesis.Timestamp + 1);
        using (IWriteBatch batch = store.BeginBatch())
        {
            StoredChain.WriteCanonicalHeader(batch, far);
            StateBlockStore.Write(batch, new StateBlock(far.Number, far.Hash, far.StateRoot));
            batch.Commit();
        }

        var e = Assert.Throws<RollbackException>(() => StateRollback.Run(store, 100_000 - StateHistory.BackwardWindowBlocks - 1));

        Assert.Equal(RollbackError.BeyondWindow, e.Error);
    }

    [Fact]
    public void Rolling_back_to_the_held_block_changes_nothing()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        foreach (DevnetBlock _ in chain.Produce(3)) { }

        RollbackResult result = StateRollback.Run(store, 3);

        Assert.Equal((0UL, true), (result.Blocks, result.Verified));
        Assert.True(BackwardDiffStore.Contains(store, 3));
    }
}
