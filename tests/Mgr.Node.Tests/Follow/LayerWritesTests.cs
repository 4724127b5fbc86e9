using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Follow;

public sealed class LayerWritesTests
{
    private static readonly Hash256 Account = Hash256.Parse("0x1100000000000000000000000000000000000000000000000000000000000000");

    private static byte[] SlotKeyBytes(Hash256 account, byte slot)
    {
        var key = new byte[Schema.StorageSlotKeyLength];
        account.CopyTo(key);
        key[^1] = slot;
        return key;
    }

    private static (byte[] From, byte[] To) WholeStorage(Hash256 account)
    {
        var from = new byte[Schema.StorageSlotKeyLength];
        var to = new byte[Schema.StorageSlotKeyLength + 1];
        account.CopyTo(from);
        account.CopyTo(to);
        to.AsSpan(32, 32).Fill(0xff);
        return (from, to);
    }

    [Fact]
    public void Refuses_writes_a_state_diff_never_makes()
    {
        var writes = new LayerWrites();

        Assert.Throws<InvalidOperationException>(() => writes.Put(Schema.Headers, new byte[40], [1]));
        Assert.Throws<InvalidOperationException>(() => writes.Delete(Schema.TrieNodes, new byte[32]));
        Assert.Throws<InvalidOperationException>(() => writes.DeleteRange(Schema.Accounts, new byte[32], Hash256.MaxValue.ToArray()));
        Assert.Throws<InvalidOperationException>(() => writes.DeleteRange(Schema.StorageSlots, SlotKeyBytes(Account, 1), WholeStorage(Account).To));
        Assert.Equal(0, writes.Count);
    }

    [Fact]
    public void Clearing_an_accounts_storage_hides_its_earlier_slots_but_not_later_ones()
    {
        var writes = new LayerWrites();
        (byte[] from, byte[] to) = WholeStorage(Account);
        writes.Put(Schema.StorageSlots, SlotKeyBytes(Account, 1), [7]);

        writes.DeleteRange(Schema.StorageSlots, from, to);
        writes.Put(Schema.StorageSlots, SlotKeyBytes(Account, 2), [9]);

        Assert.True(writes.TryGetSlot(SlotKey.Read(SlotKeyBytes(Account, 1)), out byte[]? cleared));
        Assert.Null(cleared);
        Assert.True(writes.TryGetSlot(SlotKey.Read(SlotKeyBytes(Account, 2)), out byte[]? later));
        Assert.Equal([9], later);
        Assert.True(writes.TryGetSlot(SlotKey.Read(SlotKeyBytes(Account, 3)), out byte[]? untouched));
        Assert.Null(untouched);
    }

    [Fact]
    public void Replayed_into_a_store_the_writes_leave_what_a_direct_batch_leaves()
    {
        using var direct = new InMemoryKeyValueStore();
        using var replayed = new InMemoryKeyValueStore();
        foreach (InMemoryKeyValueStore store in new[] { direct, replayed })
        {
            using IWriteBatch seed = store.BeginBatch();
            seed.Put(Schema.StorageSlots, SlotKeyBytes(Account, 5), [5]);
            seed.Put(Schema.Accounts, Account.ToArray(), [1]);
            seed.Commit();
        }
        (byte[] from, byte[] to) = WholeStorage(Account);
        var writes = new LayerWrites();
        using IWriteBatch batch = direct.BeginBatch();
        foreach (IWriteBatch target in new IWriteBatch[] { batch, writes })
        {
            target.Delete(Schema.Accounts, Account.ToArray());
            target.DeleteRange(Schema.StorageSlots, from, to);
            target.Put(Schema.Code, Hash256.MaxValue.ToArray(), [0x60]);
            target.Put(Schema.TrieNodes, Hash256.Zero.ToArray(), [0xc0]);
        }
        batch.Commit();
        writes.Commit();

        using (IWriteBatch replay = replayed.BeginBatch())
        {
            writes.WriteTo(replay);
            replay.Commit();
        }

        foreach (StoreColumn column in Schema.Columns) Assert.Equal(Dump(direct, column), Dump(replayed, column));
        Assert.Throws<InvalidOperationException>(() => writes.Put(Schema.Accounts, Account.ToArray(), [2]));
    }

    private static List<string> Dump(InMemoryKeyValueStore reader, StoreColumn column)
    {
        var entries = new List<string>();
        using IRangeCursor cursor = reader.Iterate(column, [], []);
        while (cursor.MoveNext()) entries.Add(Convert.ToHexString(cursor.Key) + "=" + Convert.ToHexString(cursor.Value));
        return entries;
    }
}
