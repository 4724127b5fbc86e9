using Mgr.Node.Storage;
using Mgr.Node.Swarm.Simulation;
using Xunit;

namespace Mgr.Node.Tests.Swarm.Simulation;

public sealed class PooledKeyValueStoreTests
{
    [Fact]
    public void Two_stores_over_one_pool_see_only_their_own_entries_and_share_the_bytes()
    {
        var pool = new SharedEntryPool();
        var first = new PooledKeyValueStore(pool);
        var second = new PooledKeyValueStore(pool);

        Write(first, [1], [10]);
        Write(second, [1], [10]);
        Write(second, [2], [20]);

        Assert.True(first.TryGet(Schema.Accounts, [1], new byte[1], out _));
        Assert.False(first.TryGet(Schema.Accounts, [2], new byte[1], out _));
        Assert.Equal([[1], [2]], Keys(second, [], []));
        Assert.Equal(2, pool.EntryCount);
    }

    [Fact]
    public void A_new_value_replaces_the_old_one_for_that_store_only()
    {
        var pool = new SharedEntryPool();
        var first = new PooledKeyValueStore(pool);
        var second = new PooledKeyValueStore(pool);
        Write(first, [1], [10]);
        Write(second, [1], [10]);

        Write(first, [1], [11]);

        byte[] value = new byte[1];
        first.TryGet(Schema.Accounts, [1], value, out _);
        Assert.Equal([11], value);
        second.TryGet(Schema.Accounts, [1], value, out _);
        Assert.Equal([10], value);
    }

    [Fact]
    public void Delete_range_removes_the_half_open_range_and_a_snapshot_keeps_the_old_view()
    {
        var store = new PooledKeyValueStore(new SharedEntryPool());
        for (byte key = 1; key <= 5; key++) Write(store, [key], [key]);
        using IStoreSnapshot snapshot = store.OpenSnapshot();

        using (IWriteBatch batch = store.BeginBatch())
        {
            batch.DeleteRange(Schema.Accounts, [2], [4]);
            batch.Commit();
        }

        Assert.Equal([[1], [4], [5]], Keys(store, [], []));
        Assert.Equal([[2], [3], [4]], Keys(snapshot, [2], [5]));
    }

    [Fact]
    public void A_node_s_own_bookkeeping_stays_in_its_store_and_a_snapshot_keeps_the_old_view()
    {
        var pool = new SharedEntryPool();
        var first = new PooledKeyValueStore(pool);
        var second = new PooledKeyValueStore(pool);
        for (byte key = 1; key <= 4; key++) Write(first, Schema.SyncProgress, [key], [key]);
        Write(second, Schema.SyncProgress, [2], [20]);
        using IStoreSnapshot snapshot = first.OpenSnapshot();

        using (IWriteBatch batch = first.BeginBatch())
        {
            batch.Put(Schema.SyncProgress, [2], [21]);
            batch.DeleteRange(Schema.SyncProgress, [3], [4]);
            batch.Put(Schema.Accounts, [9], [9]);
            batch.Commit();
        }

        Assert.False(PooledKeyValueStore.IsPooled(Schema.SyncProgress));
        Assert.Equal(1, pool.EntryCount); // only the account entry went to the pool
        Assert.Equal([[1], [2], [4]], Keys(first, Schema.SyncProgress, [], []));
        Assert.Equal([[2], [3]], Keys(snapshot, Schema.SyncProgress, [2], [4]));
        Assert.Equal([[2]], Keys(second, Schema.SyncProgress, [], []));
        byte[] value = new byte[1];
        Assert.True(first.TryGet(Schema.SyncProgress, [2], value, out _));
        Assert.Equal([21], value);
        Assert.True(snapshot.TryGet(Schema.SyncProgress, [2], value, out _));
        Assert.Equal([2], value);
        Assert.True(second.TryGet(Schema.SyncProgress, [2], value, out _));
        Assert.Equal([20], value);
        Assert.False(snapshot.TryGet(Schema.Accounts, [9], value, out _));
    }

    [Fact]
    public void A_sorted_load_rejects_keys_out_of_order()
    {
        var store = new PooledKeyValueStore(new SharedEntryPool());
        using ISortedLoad load = store.BeginSortedLoad(Schema.Accounts);
        load.Add([2], [1]);

        Assert.Throws<ArgumentException>(() => load.Add([1], [1]));
    }

    private static void Write(PooledKeyValueStore store, byte[] key, byte[] value) => Write(store, Schema.Accounts, key, value);

    private static void Write(PooledKeyValueStore store, StoreColumn column, byte[] key, byte[] value)
    {
        using IWriteBatch batch = store.BeginBatch();
        batch.Put(column, key, value);
        batch.Commit();
    }

    private static List<byte[]> Keys(IKeyValueReader store, byte[] lower, byte[] upper) => Keys(store, Schema.Accounts, lower, upper);

    private static List<byte[]> Keys(IKeyValueReader store, StoreColumn column, byte[] lower, byte[] upper)
    {
        var keys = new List<byte[]>();
        using IRangeCursor cursor = store.Iterate(column, lower, upper);
        while (cursor.MoveNext()) keys.Add(cursor.Key.ToArray());
        return keys;
    }
}
