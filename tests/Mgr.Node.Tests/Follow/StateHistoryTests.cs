using System.Buffers;
using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Node.Tests.Devnet;
using Mgr.Node.Tests.State;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Follow;

public sealed class StateHistoryTests
{
    [Fact]
    public void Each_produced_block_keeps_its_forward_diff_backward_diff_and_the_state_block()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);

        List<DevnetBlock> blocks = [.. chain.Produce(5)];

        foreach (DevnetBlock block in blocks)
        {
            var forward = new ArrayBufferWriter<byte>();
            Assert.True(StateDiffStore.TryRead(store, block.Header.Number, block.Header.Hash, forward));
            Assert.Equal(block.Diff.Encode(), forward.WrittenSpan.ToArray());
            Assert.True(BackwardDiffStore.TryRead(store, block.Header.Number, out Hash256 owner, out _));
            Assert.Equal(block.Header.Hash, owner);
        }
        Assert.True(StateBlockStore.TryRead(store, out StateBlock marker));
        Assert.Equal(new StateBlock(5, blocks[^1].Header.Hash, blocks[^1].Header.StateRoot), marker);
    }

    [Fact]
    public void Applied_to_a_models_state_each_backward_diff_gives_the_parents_root_over_60_blocks()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        BlockHeader parent = chain.Genesis;

        for (int i = 0; i < 60; i++)
        {
            DevnetBlock block = chain.ProduceNext();
            Assert.True(BackwardDiffStore.TryRead(store, block.Header.Number, out _, out byte[] encoded));
            ReferenceState model = ReferenceState.Load(store);
            model.Apply(StateDiff.Decode(encoded));

            Assert.Equal(parent.StateRoot, model.Root());
            parent = block.Header;
        }
    }

    [Fact]
    public void The_devnet_follower_records_the_same_history_as_the_producer()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(3);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        BlockHeader parent = fixture.Genesis;
        foreach (DevnetBlock block in fixture.Main)
        {
            DevnetFollower.ApplyBlock(store, parent, block);
            parent = block.Header;
        }

        Assert.True(BackwardDiffStore.TryRead(store, 3, out Hash256 owner, out byte[] followed));
        Assert.True(BackwardDiffStore.TryRead(fixture.MainState, 3, out _, out byte[] produced));
        Assert.Equal(fixture.Main[2].Header.Hash, owner);
        Assert.Equal(produced, followed);
        Assert.Equal(fixture.Main[2].Header.Hash, StateHistory.ReadStateHeader(store)!.Hash);
    }

    [Fact]
    public void The_backward_diff_that_leaves_the_window_is_deleted_with_the_new_blocks_batch()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        ulong first = 1, next = StateHistory.BackwardWindowBlocks + 1;
        using (IWriteBatch batch = store.BeginBatch())
        {
            BackwardDiffStore.Write(batch, first, Hash256.Zero, StateDiff.Empty.Encode());
            BackwardDiffStore.Write(batch, first + 1, Hash256.Zero, StateDiff.Empty.Encode());
            batch.Commit();
        }

        using (IWriteBatch batch = store.BeginBatch())
        {
            StateHistory.Record(store, batch, HeaderAt(chain, next), StateDiff.Empty);
            batch.Commit();
        }

        Assert.False(BackwardDiffStore.Contains(store, first));
        Assert.True(BackwardDiffStore.Contains(store, first + 1));
        Assert.True(BackwardDiffStore.Contains(store, next));
    }

    [Fact]
    public void Forward_diffs_older_than_the_window_are_pruned_every_64_blocks()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        ulong number = 17 * StateHistory.ForwardPruneInterval;
        ulong firstKept = number - StateHistory.ForwardWindowBlocks + 1;
        using (IWriteBatch batch = store.BeginBatch())
        {
            StateDiffStore.Write(batch, firstKept - 1, Hash256.Zero, StateDiff.Empty.Encode());
            StateDiffStore.Write(batch, firstKept, Hash256.Zero, StateDiff.Empty.Encode());
            batch.Commit();
        }

        using (IWriteBatch batch = store.BeginBatch())
        {
            StateHistory.Record(store, batch, HeaderAt(chain, number), StateDiff.Empty);
            batch.Commit();
        }

        Assert.Equal(firstKept, StateDiffStore.LowestNumber(store));
    }

    // A header at an arbitrary height (the history only needs its number, hash and root).
    private static BlockHeader HeaderAt(DevnetChain chain, ulong number)
    {
        BlockHeader genesis = chain.Genesis;
        BlockHeader parent = chain.BuildHeader(genesis, genesis.StateRoot, genesis.Timestamp);
        var fake = new BlockHeader
        {
            ParentHash = parent.ParentHash, Coinbase = parent.Coinbase, StateRoot = genesis.StateRoot, Difficulty = parent.Difficulty,
            Number = number - 1, GasLimit = parent.GasLimit, GasUsed = 0, Timestamp = parent.Timestamp, MixHash = parent.MixHash, Nonce = 0,
            BaseFeePerGas = parent.BaseFeePerGas, WithdrawalsRoot = parent.WithdrawalsRoot, BlobGasUsed = 0, ExcessBlobGas = 0,
            ParentBeaconBlockRoot = parent.ParentBeaconBlockRoot,
        };
        return chain.BuildHeader(fake, genesis.StateRoot, genesis.Timestamp + number);
    }
}
