using Mgr.Node.Devnet;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;
using Mgr.Node.Tests.State;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Devnet;

public sealed class DevnetChainTests
{
    [Fact]
    public void Headers_link_and_carry_the_post_merge_field_set()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);

        BlockHeader parent = chain.Genesis;
        foreach (DevnetBlock block in chain.Produce(30))
        {
            BlockHeader header = block.Header;
            Assert.Equal(parent.Number + 1, header.Number);
            Assert.Equal(parent.Hash, header.ParentHash);
            Assert.Equal(parent.Timestamp + 12, header.Timestamp);
            Assert.Equal(HeaderFork.Cancun, header.Fork);
            Assert.True(header.Difficulty.IsZero);
            Assert.Equal(0UL, header.Nonce);
            Assert.Equal(0UL, header.GasUsed);
            Assert.Equal(Hash256.EmptyTrieRoot, header.TransactionsRoot);
            Assert.Equal(Hash256.EmptyTrieRoot, header.ReceiptsRoot);
            Assert.Equal(Hash256.EmptyTrieRoot, header.WithdrawalsRoot);
            Assert.Equal(BlockHeader.EmptyOmmersHash, header.OmmersHash);
            Assert.Equal(Bloom.Empty.Bytes.ToArray(), header.LogsBloom.Bytes.ToArray());
            Assert.Equal(0UL, header.BlobGasUsed);
            Assert.Equal(0UL, header.ExcessBlobGas);
            Assert.Equal(chain.Keys.PrevRandao(header.Number), header.MixHash);
            Assert.Equal(chain.Keys.ParentBeaconBlockRoot(header.Number), header.ParentBeaconBlockRoot);
            Assert.True(header.ExtraData.Length <= 32);
            // Empty parent: EIP-1559 lowers the base fee by 1/8.
            UInt256 parentFee = parent.BaseFeePerGas!.Value;
            Assert.Equal(parentFee - new UInt256(parentFee.ToUInt64() / 8), header.BaseFeePerGas);
            Assert.Equal(header.Hash, BlockHeader.Decode(header.Encode()).Hash);
            parent = header;
        }
        Assert.Equal(parent.Hash, StoredChain.ReadHead(store).Hash);
    }

    [Fact]
    public void Every_state_root_equals_a_rebuild_from_genesis_plus_diffs()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        ReferenceState model = ReferenceState.Load(store);
        Assert.Equal(chain.Genesis.StateRoot, model.Root());

        foreach (DevnetBlock block in chain.Produce(40))
        {
            model.Apply(StateDiff.Decode(block.Diff.Encode()));
            Assert.Equal(block.Header.StateRoot, model.Root());
        }
        ReferenceState flat = ReferenceState.Load(store);
        Assert.Equal(model.Accounts, flat.Accounts);
    }

    [Fact]
    public void Every_block_changes_the_state_in_each_promised_way()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        DevnetChain chain = DevnetFixtures.SmallChain(store, temp);
        int accountDeletions = 0, slotDeletions = 0, slotWrites = 0, newCode = 0, transfers = 0;
        Hash256 previousRoot = chain.Genesis.StateRoot;

        foreach (DevnetBlock block in chain.Produce(50))
        {
            Assert.NotEqual(previousRoot, block.Header.StateRoot);
            previousRoot = block.Header.StateRoot;
            accountDeletions += block.Diff.Accounts.Count(a => a.IsDeleted);
            transfers += block.Diff.Accounts.Count(a => !a.IsDeleted && a.Nonce > 0 && a.CodeHash == Hash256.EmptyKeccak);
            slotDeletions += block.Diff.Storage.Sum(s => s.Slots.Count(x => x.IsDeletion));
            slotWrites += block.Diff.Storage.Sum(s => s.Slots.Count(x => !x.IsDeletion));
            newCode += block.Diff.Code.Count;
        }

        Assert.True(accountDeletions >= 4, $"account deletions {accountDeletions}");
        Assert.True(slotDeletions > 10, $"slot deletions {slotDeletions}");
        Assert.True(slotWrites > 100, $"slot writes {slotWrites}");
        Assert.Equal(5, newCode);
        Assert.True(transfers > 100, $"transfers {transfers}");
        // Created: 300 + 6 at genesis, 2 per block, a contract every 10th; deleted ones may be re-created by transfers.
        long created = 300 + 6 + 50 * DevnetKeys.NewAccountsPerBlock + 5;
        Assert.InRange(DevnetGeneration.MeasureState(store).Accounts, created - accountDeletions, created);
    }

    [Fact]
    public void The_written_genesis_json_gives_the_same_genesis_block()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        using var json = new MemoryStream();

        DevnetChain chain = DevnetChain.Create(store, DevnetFixtures.Small(), temp.Path, json);

        GenesisSpec spec = GenesisReader.Parse(json.ToArray());
        Assert.Equal(chain.Genesis.Hash, GenesisBuilder.Build(spec).Hash);
        Assert.Equal(306, spec.Alloc.Count);
        Assert.Equal(1337UL, spec.Config.ChainId);
        Assert.True(spec.Config.IsCancun(0, 0));
        Assert.Equal(400, spec.Alloc.Values.Max(a => a.Storage.Count));
        Assert.Equal(400 / 6, spec.Alloc.Values.Where(a => a.Storage.Count > 0).Min(a => a.Storage.Count));
    }

    [Fact]
    public void The_written_genesis_json_streamed_through_spilled_runs_gives_the_same_genesis_block()
    {
        using var temp = new TemporaryDirectory();
        using var store = new InMemoryKeyValueStore();
        using var json = new MemoryStream();
        DevnetChain chain = DevnetChain.Create(store, DevnetFixtures.Small() with { Accounts = 20_000 }, temp.Path, json);
        json.Position = 0;
        using var sorter = new EtlCollector(temp.Path, EtlCollector.MinBufferLimitBytes);

        GenesisBlock streamed = GenesisBuilder.Build(json, sorter);

        Assert.True(sorter.SpilledRuns > 1, $"{sorter.SpilledRuns} runs");
        Assert.True(sorter.PeakBufferedBytes <= EtlCollector.MinBufferLimitBytes, $"{sorter.PeakBufferedBytes} B buffered");
        Assert.Equal(chain.Genesis.Hash, streamed.Header.Hash);
        Assert.Equal(GenesisBuilder.Build(GenesisReader.Parse(json.ToArray())).Hash, streamed.Header.Hash);
    }

    [Fact]
    public void A_small_import_buffer_spills_to_disk_and_gives_the_same_state()
    {
        using var temp = new TemporaryDirectory();
        using var small = new InMemoryKeyValueStore();
        using var large = new InMemoryKeyValueStore();
        DevnetParameters parameters = DevnetFixtures.Small() with { Accounts = 12_000 };

        DevnetChain a = DevnetChain.Create(small, parameters, temp.Path, etlBufferBytes: 1 << 20);
        DevnetChain b = DevnetChain.Create(large, parameters, temp.Path);

        Assert.Equal(b.Genesis.Hash, a.Genesis.Hash);
        Assert.Equal(DevnetGeneration.MeasureState(large), DevnetGeneration.MeasureState(small));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_reopened_store_continues_with_the_same_blocks()
    {
        using var temp = new TemporaryDirectory();
        using var straight = new InMemoryKeyValueStore();
        using var reopened = new InMemoryKeyValueStore();
        DevnetChain one = DevnetFixtures.SmallChain(straight, temp);
        DevnetChain two = DevnetFixtures.SmallChain(reopened, temp);
        Assert.Equal(12, one.Produce(12).Count());
        Assert.Equal(5, two.Produce(5).Count());

        DevnetChain again = DevnetChain.Open(reopened, DevnetFixtures.Small());
        Assert.Equal(7, again.Produce(7).Count());

        Assert.Equal(5UL, StoredChain.ReadCanonical(reopened, 5)!.Number);
        Assert.Equal(one.Head.Hash, again.Head.Hash);
    }

    [Fact]
    public void Different_seeds_give_different_chains()
    {
        using var temp = new TemporaryDirectory();
        using var a = new InMemoryKeyValueStore();
        using var b = new InMemoryKeyValueStore();

        Assert.NotEqual(DevnetFixtures.SmallChain(a, temp, seed: 1).Genesis.Hash, DevnetFixtures.SmallChain(b, temp, seed: 2).Genesis.Hash);
    }
}
