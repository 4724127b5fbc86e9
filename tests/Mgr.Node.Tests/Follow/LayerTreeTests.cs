using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.State;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.Follow;

public sealed class LayerTreeTests(ITestOutputHelper output)
{
    private static void AddAll(LayerTree tree, IEnumerable<DevnetBlock> blocks)
    {
        foreach (DevnetBlock block in blocks)
        {
            Assert.True(tree.TryAdd(block.Header, block.Diff.Encode(), out DiffRejection? rejection), rejection?.Detail);
            tree.SetHead(block.Header.Hash);
        }
    }

    [Fact]
    public void Reads_through_52_layers_equal_the_producers_state_including_deleted_accounts_and_storage()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(52);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        AddAll(tree, fixture.Main);

        output.WriteLine($"52 blocks verified into layers in {clock.Elapsed.TotalMilliseconds:F0} ms; layers hold ~{tree.LayerBytes / 1024} KiB ({tree.LayerBytes / 52 / 1024} KiB per block)");
        ReferenceState produced = ReferenceState.Load(fixture.MainState), layered = ReferenceState.Load(tree.HeadState);
        Assert.Equal(produced.Accounts, layered.Accounts);
        Assert.Equal(produced.Storage.Keys.Order(), layered.Storage.Keys.Order());
        foreach ((Hash256 account, Dictionary<Hash256, UInt256> slots) in produced.Storage) Assert.Equal(slots, layered.Storage[account]);
        foreach ((Hash256 account, (ulong nonce, UInt256 balance, Hash256 codeHash)) in produced.Accounts)
        {
            Assert.True(tree.HeadState.TryReadAccount(account, out Account read));
            Assert.Equal((nonce, balance, codeHash), (read.Nonce, read.Balance, read.CodeHash));
        }
        Assert.True(StateRootVerifier.Verify(tree.HeadState, fixture.Main[^1].Header.StateRoot).IsValid);
        Assert.True(StateRootVerifier.Verify(store, fixture.Genesis.StateRoot).IsValid);
        Assert.Equal(52, tree.LayerCount);
    }

    [Fact]
    public void A_deleted_account_and_its_storage_read_as_absent_through_the_layers()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(50);
        // Block 50 deletes a contract with all its storage (spec/devnet.md §3).
        AccountChange deletion = Assert.Single(fixture.Main[49].Diff.Accounts, change => change.IsDeleted);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        AddAll(tree, fixture.Main);
        LayeredStateReader before = tree.StateAt(fixture.Main[48].Header.Hash), after = tree.HeadState;
        Hash256 slot = FirstSlot(before, deletion.AddressHash);

        Assert.True(before.TryReadAccount(deletion.AddressHash, out Account contract) && contract.HasStorage);
        Assert.False(after.TryReadAccount(deletion.AddressHash, out _));
        Assert.False(before.ReadSlot(deletion.AddressHash, slot).IsZero);
        Assert.True(after.ReadSlot(deletion.AddressHash, slot).IsZero);
        Assert.True(StateRootVerifier.Verify(before, fixture.Main[48].Header.StateRoot).IsValid);
        Assert.True(StateRootVerifier.Verify(after, fixture.Main[49].Header.StateRoot).IsValid);
    }

    [Fact]
    public void A_range_read_through_the_layers_equals_the_producers_range()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(20);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        AddAll(tree, fixture.Main);
        byte[] lower = Hash256.Parse("0x4000000000000000000000000000000000000000000000000000000000000000").ToArray();
        byte[] upper = Hash256.Parse("0x9000000000000000000000000000000000000000000000000000000000000000").ToArray();

        List<string> layered = Read(tree.HeadState, lower, upper), produced = Read(fixture.MainState, lower, upper);

        Assert.NotEmpty(produced);
        Assert.Equal(produced, layered);
    }

    [Fact]
    public void A_diff_that_does_not_give_the_headers_root_is_refused_and_leaves_nothing()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        StateDiff honest = fixture.Main[0].Diff;
        AccountChange first = honest.Accounts.First(change => !change.IsDeleted);
        var tampered = new StateDiff([.. honest.Accounts.Select(change => change == first ? change with { Balance = change.Balance + new UInt256(1) } : change)],
            honest.Storage, honest.Code);

        bool accepted = tree.TryAdd(fixture.Main[0].Header, tampered.Encode(), out DiffRejection? rejection);

        Assert.False(accepted);
        Assert.Equal(DiffRejectionReason.RootMismatch, rejection!.Reason);
        Assert.Equal(fixture.Main[0].Header.Hash, rejection.Hash);
        Assert.Equal(0, tree.LayerCount);
        Assert.Equal(0, tree.LayerBytes);
        Assert.True(tree.TryAdd(fixture.Main[0].Header, honest.Encode(), out _));
    }

    [Fact]
    public void Another_blocks_diff_is_refused_as_a_root_mismatch()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);

        Assert.False(tree.TryAdd(fixture.Main[0].Header, fixture.Main[1].Diff.Encode(), out DiffRejection? rejection));

        Assert.Equal(DiffRejectionReason.RootMismatch, rejection!.Reason);
    }

    [Fact]
    public void Malformed_bytes_are_refused_as_a_malformed_diff()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(1);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);

        Assert.False(tree.TryAdd(fixture.Main[0].Header, new byte[] { 0xc2, 0xc0, 0xc0 }, out DiffRejection? rejection));

        Assert.Equal(DiffRejectionReason.MalformedDiff, rejection!.Reason);
    }

    [Fact]
    public void Storage_of_an_account_that_does_not_exist_is_refused_as_missing_account()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(1);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        var diff = new StateDiff([], [new StorageChange(Keccak256.Compute("nobody"u8), [new SlotChange(Hash256.Zero, new UInt256(1))])], []);

        Assert.False(tree.TryAdd(fixture.Main[0].Header, diff.Encode(), out DiffRejection? rejection));

        Assert.Equal(DiffRejectionReason.MissingAccount, rejection!.Reason);
    }

    [Fact]
    public void Code_that_is_neither_held_nor_carried_is_refused_as_missing_code()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(1);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        var diff = new StateDiff([AccountChange.Update(Keccak256.Compute("new"u8), 1, UInt256.Zero, Keccak256.Compute("no such code"u8))], [], []);

        Assert.False(tree.TryAdd(fixture.Main[0].Header, diff.Encode(), out DiffRejection? rejection));

        Assert.Equal(DiffRejectionReason.MissingCode, rejection!.Reason);
    }

    [Fact]
    public void Past_the_layer_limit_a_block_is_refused_with_a_typed_error_and_nothing_grows()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(5);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store, new FollowOptions { MaxLayers = 4 });
        AddAll(tree, fixture.Main.Take(4));
        long bytes = tree.LayerBytes;

        var e = Assert.Throws<FollowException>(() => tree.TryAdd(fixture.Main[4].Header, fixture.Main[4].Diff.Encode(), out _));

        Assert.Equal(FollowError.LayerLimit, e.Error);
        Assert.Equal(4, tree.LayerCount);
        Assert.Equal(bytes, tree.LayerBytes);
        Assert.Equal(2, tree.Finalize(fixture.Main[1].Header.Hash));
        Assert.True(tree.TryAdd(fixture.Main[4].Header, fixture.Main[4].Diff.Encode(), out _));
    }

    [Fact]
    public void A_block_whose_parent_is_not_held_is_a_typed_error()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);

        var e = Assert.Throws<FollowException>(() => tree.TryAdd(fixture.Main[1].Header, fixture.Main[1].Diff.Encode(), out _));

        Assert.Equal(FollowError.UnknownParent, e.Error);
    }

    [Fact]
    public void Finalization_flattens_into_the_store_one_block_at_a_time_with_its_history()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(12);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        AddAll(tree, fixture.Main);

        int flattened = tree.Finalize(fixture.Main[7].Header.Hash);

        Assert.Equal(8, flattened);
        Assert.Equal(8UL, tree.Base.Number);
        Assert.Equal(4, tree.LayerCount);
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[7].Header.StateRoot).IsValid);
        Assert.True(StateBlockStore.TryRead(store, out StateBlock marker));
        Assert.Equal(new StateBlock(8, fixture.Main[7].Header.Hash, fixture.Main[7].Header.StateRoot), marker);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(HeaderStore.TryReadCanonical(store, (ulong)i + 1, out Hash256 canonical));
            Assert.Equal(fixture.Main[i].Header.Hash, canonical);
            Assert.True(BackwardDiffStore.Contains(store, (ulong)i + 1));
        }
        Assert.False(BackwardDiffStore.Contains(store, 9));
        Assert.True(StateRootVerifier.Verify(tree.HeadState, fixture.Main[11].Header.StateRoot).IsValid);
        Assert.Equal(4, tree.Finalize(fixture.Main[11].Header.Hash));
        Assert.Equal(0, tree.LayerCount);
        Assert.Equal(0, tree.LayerBytes);
        Assert.True(StateRootVerifier.Verify(store, fixture.Main[11].Header.StateRoot).IsValid);
    }

    [Fact]
    public void A_new_tree_starts_from_the_flattened_state_of_the_store()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(6);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        AddAll(tree, fixture.Main);
        tree.Finalize(fixture.Main[3].Header.Hash);

        var restarted = new LayerTree(store);

        Assert.Equal(fixture.Main[3].Header.Hash, restarted.Base.Hash);
        Assert.True(restarted.TryAdd(fixture.Main[4].Header, fixture.Main[4].Diff.Encode(), out _));
    }

    [Fact]
    public async Task A_layers_diff_is_readable_from_another_thread_until_it_is_flattened()
    {
        using var fixture = new FollowFixture();
        fixture.ExtendMain(2);
        using InMemoryKeyValueStore store = fixture.NewFollowerStore();
        var tree = new LayerTree(store);
        AddAll(tree, fixture.Main);
        Hash256 first = fixture.Main[0].Header.Hash;

        (bool found, ulong number, byte[] bytes) = await Task.Run(() => tree.TryGetLayerDiff(first, out ulong n, out ReadOnlyMemory<byte> d) ? (true, n, d.ToArray()) : (false, 0UL, []));
        tree.Finalize(first);

        Assert.True(found);
        Assert.Equal(1UL, number);
        Assert.Equal(fixture.Main[0].Diff.Encode(), bytes);
        Assert.False(tree.TryGetLayerDiff(first, out _, out _));
    }

    private static Hash256 FirstSlot(LayeredStateReader state, Hash256 account)
    {
        var upper = new byte[Schema.StorageSlotKeyLength + 1];
        account.CopyTo(upper);
        upper.AsSpan(32, 32).Fill(0xff);
        using IRangeCursor cursor = state.Iterate(Schema.StorageSlots, account.ToArray(), upper);
        Assert.True(cursor.MoveNext());
        return new Hash256(cursor.Key[32..]);
    }

    // Every account and slot in [lower, upper) as "key=value" hex, in cursor order.
    private static List<string> Read(IKeyValueReader reader, byte[] lower, byte[] upper)
    {
        var entries = new List<string>();
        using IRangeCursor cursor = reader.Iterate(Schema.Accounts, lower, upper);
        while (cursor.MoveNext()) entries.Add(Convert.ToHexString(cursor.Key) + "=" + Convert.ToHexString(cursor.Value));
        using IRangeCursor slots = reader.Iterate(Schema.StorageSlots, lower, upper);
        while (slots.MoveNext()) entries.Add(Convert.ToHexString(slots.Key) + "=" + Convert.ToHexString(slots.Value));
        return entries;
    }
}
