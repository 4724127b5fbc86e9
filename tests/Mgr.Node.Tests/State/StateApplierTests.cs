using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Tries;

namespace Mgr.Node.Tests.State;

public sealed class StateApplierTests
{
    /// <summary>A random valid diff: updates of new and existing accounts, deletions of existing ones, slot writes and
    /// deletions, sometimes new code.</summary>
    internal static StateDiff RandomDiff(Random random, IReadOnlyList<Hash256> existing, int maxAccounts)
    {
        var accounts = new SortedDictionary<Hash256, AccountChange>();
        var storage = new SortedDictionary<Hash256, SortedDictionary<Hash256, UInt256>>();
        var code = new SortedDictionary<Hash256, byte[]>();
        int count = random.Next(1, maxAccounts + 1);
        for (int i = 0; i < count; i++)
        {
            bool old = existing.Count > 0 && random.Next(3) > 0;
            Hash256 address = old ? existing[random.Next(existing.Count)] : RandomHash(random);
            if (accounts.ContainsKey(address) || storage.ContainsKey(address)) continue;
            if (old && random.Next(8) == 0)
            {
                accounts[address] = AccountChange.Delete(address);
                continue;
            }
            Hash256 codeHash = Hash256.EmptyKeccak;
            if (random.Next(4) == 0)
            {
                byte[] bytes = new byte[random.Next(1, 100)];
                random.NextBytes(bytes);
                codeHash = Keccak256.Compute(bytes);
                code[codeHash] = bytes;
            }
            // Existing accounts sometimes get storage changes only (no account change).
            if (!old || random.Next(3) > 0)
                accounts[address] = AccountChange.Update(address, (ulong)random.Next(100), new UInt256((ulong)random.NextInt64()), codeHash);
            else if (existing.Count == 0) continue;
            if (random.Next(2) == 0)
            {
                var slots = new SortedDictionary<Hash256, UInt256>();
                int slotCount = random.Next(1, 40);
                for (int s = 0; s < slotCount; s++)
                {
                    // Small slot space so that later diffs overwrite and delete earlier slots.
                    Hash256 slot = Keccak256.Compute([(byte)random.Next(64)]);
                    slots[slot] = random.Next(4) == 0 ? UInt256.Zero : new UInt256((ulong)random.NextInt64(1, long.MaxValue));
                }
                storage[address] = slots;
            }
        }
        return new StateDiff([.. accounts.Values],
            [.. storage.Select(e => new StorageChange(e.Key, [.. e.Value.Select(s => new SlotChange(s.Key, s.Value))]))],
            [.. code.Select(e => new CodeEntry(e.Key, e.Value))]);
    }

    private static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    [Fact]
    public void Applied_random_diffs_give_the_root_of_a_from_scratch_rebuild()
    {
        var random = new Random(7);
        using var store = new InMemoryKeyValueStore();
        var model = new ReferenceState();
        Hash256 root = Hash256.EmptyTrieRoot;
        for (int block = 0; block < 60; block++)
        {
            StateDiff diff = RandomDiff(random, [.. model.Accounts.Keys], maxAccounts: 12);
            model.Apply(diff);
            Hash256 expected = model.Root();

            StateApplier.Apply(store, root, diff, expected);

            root = expected;
            ReferenceState flat = ReferenceState.Load(store);
            Assert.Equal(model.Accounts, flat.Accounts);
            Assert.Equal(model.Storage.Keys.Order(), flat.Storage.Keys.Order());
            foreach ((Hash256 address, Dictionary<Hash256, UInt256> slots) in model.Storage) Assert.Equal(slots, flat.Storage[address]);
        }
        // The stored trie under the final root holds exactly the model's accounts.
        var trie = new PatriciaTrie(new TrieNodeStore(store), root);
        Assert.Equal(model.Accounts.Count, trie.Enumerate().Count());
    }

    [Fact]
    public void A_root_mismatch_writes_nothing()
    {
        using var store = new InMemoryKeyValueStore();
        var random = new Random(3);
        StateDiff first = RandomDiff(random, [], 6);
        var model = new ReferenceState();
        model.Apply(first);
        StateApplier.Apply(store, Hash256.EmptyTrieRoot, first, model.Root());
        int before = CountAll(store);
        StateDiff second = RandomDiff(random, [.. model.Accounts.Keys], 6);

        var e = Assert.Throws<StateApplyException>(() => StateApplier.Apply(store, model.Root(), second, Hash256.Zero,
            batch => batch.Put(Schema.Meta, "marker"u8, "x"u8)));

        Assert.Equal(StateApplyError.RootMismatch, e.Reason);
        Assert.Equal(Hash256.Zero, e.Expected);
        Assert.NotEqual(Hash256.Zero, e.Actual);
        Assert.Equal(before, CountAll(store));
        Assert.Null(store.Get(Schema.Meta, "marker"u8));
    }

    [Fact]
    public void Earlier_roots_stay_readable_after_later_diffs()
    {
        using var store = new InMemoryKeyValueStore();
        var random = new Random(11);
        var model = new ReferenceState();
        var roots = new List<(Hash256 Root, Dictionary<Hash256, (ulong, UInt256, Hash256)> Accounts)>();
        Hash256 root = Hash256.EmptyTrieRoot;
        for (int block = 0; block < 10; block++)
        {
            StateDiff diff = RandomDiff(random, [.. model.Accounts.Keys], 8);
            model.Apply(diff);
            StateApplier.Apply(store, root, diff, root = model.Root());
            roots.Add((root, new Dictionary<Hash256, (ulong, UInt256, Hash256)>(model.Accounts)));
        }

        foreach ((Hash256 oldRoot, Dictionary<Hash256, (ulong, UInt256, Hash256)> accounts) in roots)
        {
            var trie = new PatriciaTrie(new TrieNodeStore(store), oldRoot);
            Assert.Equal(accounts.Count, trie.Enumerate().Count());
        }
    }

    [Fact]
    public void Deleting_an_account_clears_its_flat_storage()
    {
        using var store = new InMemoryKeyValueStore();
        Hash256 a = StateDiffTests.H(1), b = StateDiffTests.H(2);
        (Hash256 low, Hash256 high) = a.CompareTo(b) < 0 ? (a, b) : (b, a);
        var create = new StateDiff(
            [AccountChange.Update(low, 0, UInt256.One, Hash256.EmptyKeccak), AccountChange.Update(high, 0, UInt256.One, Hash256.EmptyKeccak)],
            [new StorageChange(low, [new SlotChange(StateDiffTests.H(5), UInt256.One)]), new StorageChange(high, [new SlotChange(StateDiffTests.H(5), UInt256.One)])],
            []);
        var model = new ReferenceState();
        model.Apply(create);
        StateApplier.Apply(store, Hash256.EmptyTrieRoot, create, model.Root());
        Hash256 parent = model.Root();
        var delete = new StateDiff([AccountChange.Delete(low)], [], []);
        model.Apply(delete);

        StateApplier.Apply(store, parent, delete, model.Root());

        ReferenceState flat = ReferenceState.Load(store);
        Assert.False(flat.Storage.ContainsKey(low));
        Assert.True(flat.Storage.ContainsKey(high));
        Assert.False(flat.Accounts.ContainsKey(low));
    }

    [Fact]
    public void Refuses_storage_of_a_missing_account_and_unknown_code()
    {
        using var store = new InMemoryKeyValueStore();
        var storageOnly = new StateDiff([], [new StorageChange(StateDiffTests.H(1), [new SlotChange(StateDiffTests.H(2), UInt256.One)])], []);
        var unknownCode = new StateDiff([AccountChange.Update(StateDiffTests.H(1), 0, UInt256.One, StateDiffTests.H(9))], [], []);

        Assert.Equal(StateApplyError.MissingAccount,
            Assert.Throws<StateApplyException>(() => StateApplier.Apply(store, Hash256.EmptyTrieRoot, storageOnly, Hash256.Zero)).Reason);
        Assert.Equal(StateApplyError.MissingCode,
            Assert.Throws<StateApplyException>(() => StateApplier.Apply(store, Hash256.EmptyTrieRoot, unknownCode, Hash256.Zero)).Reason);
        Assert.Equal(0, CountAll(store));
    }

    [Fact]
    public void Refuses_a_parent_root_whose_nodes_are_missing()
    {
        using var store = new InMemoryKeyValueStore();
        var diff = new StateDiff([AccountChange.Update(StateDiffTests.H(1), 0, UInt256.One, Hash256.EmptyKeccak)], [], []);

        var e = Assert.Throws<StateApplyException>(() => StateApplier.Apply(store, StateDiffTests.H(77), diff, Hash256.Zero));

        Assert.Equal(StateApplyError.MissingState, e.Reason);
    }

    private static int CountAll(InMemoryKeyValueStore store)
    {
        int count = 0;
        foreach (StoreColumn column in Schema.Columns)
        {
            using IRangeCursor cursor = store.Iterate(column, [], []);
            while (cursor.MoveNext()) count++;
        }
        return count;
    }
}
