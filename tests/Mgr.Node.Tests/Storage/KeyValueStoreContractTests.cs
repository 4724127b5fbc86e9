using System.Text;
using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Storage;

/// <summary>The contract every <see cref="IKeyValueStore"/> keeps; run against RocksDB and the in-memory store.</summary>
public abstract class KeyValueStoreContractTests : IDisposable
{
    private readonly IKeyValueStore _store;

    protected KeyValueStoreContractTests() => _store = CreateStore();

    protected abstract IKeyValueStore CreateStore();

    public virtual void Dispose()
    {
        _store.Dispose();
        GC.SuppressFinalize(this);
    }

    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    private void Put(StoreColumn column, string key, string value)
    {
        using IWriteBatch batch = _store.BeginBatch();
        batch.Put(column, B(key), B(value));
        batch.Commit();
    }

    private static string? Read(IKeyValueReader reader, StoreColumn column, string key)
        => reader.Get(column, B(key)) is { } value ? Encoding.ASCII.GetString(value) : null;

    private static List<string> Keys(IKeyValueReader reader, StoreColumn column, string lower = "", string upper = "")
    {
        var keys = new List<string>();
        using IRangeCursor cursor = reader.Iterate(column, B(lower), B(upper));
        while (cursor.MoveNext()) keys.Add(Encoding.ASCII.GetString(cursor.Key));
        return keys;
    }

    [Fact]
    public void Reads_back_a_committed_put()
    {
        Put(Schema.Code, "key", "value");

        Assert.Equal("value", Read(_store, Schema.Code, "key"));
    }

    [Fact]
    public void Reports_an_absent_key_as_a_miss()
    {
        bool found = _store.TryGet(Schema.Code, B("nothing"), new byte[8], out int length);

        Assert.False(found);
        Assert.Equal(0, length);
    }

    [Fact]
    public void Reports_the_full_length_and_copies_nothing_when_the_destination_is_too_small()
    {
        Put(Schema.Code, "key", "0123456789");
        byte[] small = new byte[4];

        bool found = _store.TryGet(Schema.Code, B("key"), small, out int length);

        Assert.True(found);
        Assert.Equal(10, length);
        Assert.Equal(new byte[4], small);
    }

    [Fact]
    public void Reads_an_empty_value_as_present()
    {
        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Put(Schema.Code, B("empty"), []);
            batch.Commit();
        }

        Assert.True(_store.TryGet(Schema.Code, B("empty"), [], out int length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Keeps_columns_separate()
    {
        Put(Schema.Code, "key", "code");
        Put(Schema.TrieNodes, "key", "node");

        Assert.Equal("code", Read(_store, Schema.Code, "key"));
        Assert.Equal("node", Read(_store, Schema.TrieNodes, "key"));
        Assert.Null(Read(_store, Schema.Accounts, "key"));
    }

    [Fact]
    public void Shows_nothing_of_a_batch_before_it_commits_and_everything_after()
    {
        using IWriteBatch batch = _store.BeginBatch();
        batch.Put(Schema.Code, B("a"), B("1"));
        batch.Put(Schema.TrieNodes, B("b"), B("2"));

        Assert.Null(Read(_store, Schema.Code, "a"));
        Assert.Null(Read(_store, Schema.TrieNodes, "b"));
        Assert.Equal(2, batch.Count);

        batch.Commit();

        Assert.Equal("1", Read(_store, Schema.Code, "a"));
        Assert.Equal("2", Read(_store, Schema.TrieNodes, "b"));
    }

    [Fact]
    public void Discards_a_batch_disposed_without_commit()
    {
        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Put(Schema.Code, B("a"), B("1"));
        }

        Assert.Null(Read(_store, Schema.Code, "a"));
    }

    [Fact]
    public void Rejects_a_second_commit_of_the_same_batch()
    {
        using IWriteBatch batch = _store.BeginBatch();
        batch.Put(Schema.Code, B("a"), B("1"));
        batch.Commit();

        Assert.Throws<InvalidOperationException>(batch.Commit);
    }

    [Fact]
    public void Applies_operations_of_a_batch_in_order()
    {
        Put(Schema.Code, "a", "old");

        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Delete(Schema.Code, B("a"));
            batch.Put(Schema.Code, B("a"), B("new"));
            batch.Put(Schema.Code, B("b"), B("x"));
            batch.Delete(Schema.Code, B("b"));
            batch.Commit();
        }

        Assert.Equal("new", Read(_store, Schema.Code, "a"));
        Assert.Null(Read(_store, Schema.Code, "b"));
    }

    [Fact]
    public void Deletes_exactly_the_half_open_range()
    {
        foreach (string key in new[] { "a", "b", "ba", "c", "d" }) Put(Schema.Code, key, key);

        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.DeleteRange(Schema.Code, B("b"), B("d"));
            batch.Commit();
        }

        Assert.Equal(["a", "d"], Keys(_store, Schema.Code));
    }

    [Fact]
    public void Rejects_a_range_delete_that_ends_before_it_starts()
    {
        using IWriteBatch batch = _store.BeginBatch();

        Assert.Throws<ArgumentException>(() => batch.DeleteRange(Schema.Code, B("b"), B("a")));
    }

    [Fact]
    public void Iterates_a_range_in_key_order_with_an_inclusive_lower_and_exclusive_upper_bound()
    {
        foreach (string key in new[] { "d", "a", "c", "bb", "b", "e" }) Put(Schema.Code, key, key);
        Put(Schema.TrieNodes, "c2", "other column");

        Assert.Equal(["b", "bb", "c"], Keys(_store, Schema.Code, "b", "d"));
        Assert.Equal(["a", "b", "bb", "c", "d", "e"], Keys(_store, Schema.Code));
        Assert.Equal(["c", "d", "e"], Keys(_store, Schema.Code, lower: "c"));
        Assert.Equal(["a", "b"], Keys(_store, Schema.Code, upper: "ba"));
        Assert.Empty(Keys(_store, Schema.Code, "x", "z"));
    }

    [Fact]
    public void Cursor_reports_values_and_stays_finished_after_the_end()
    {
        Put(Schema.Code, "k", "v");
        using IRangeCursor cursor = _store.Iterate(Schema.Code, default, default);

        Assert.True(cursor.MoveNext());
        Assert.Equal("v", Encoding.ASCII.GetString(cursor.Value));
        Assert.False(cursor.MoveNext());
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void Snapshot_ignores_commits_made_after_it_was_opened()
    {
        Put(Schema.Code, "a", "before");
        using IStoreSnapshot snapshot = _store.OpenSnapshot();

        Put(Schema.Code, "a", "after");
        Put(Schema.Code, "b", "new");

        Assert.Equal("before", Read(snapshot, Schema.Code, "a"));
        Assert.Null(Read(snapshot, Schema.Code, "b"));
        Assert.Equal(["a"], Keys(snapshot, Schema.Code));
        Assert.Equal("after", Read(_store, Schema.Code, "a"));
    }

    [Fact]
    public void Snapshot_read_after_dispose_throws_object_disposed()
    {
        IStoreSnapshot snapshot = _store.OpenSnapshot();
        snapshot.Dispose();
        snapshot.Dispose();

        Assert.Throws<ObjectDisposedException>(() => snapshot.TryGet(Schema.Code, B("a"), new byte[4], out _));
    }

    [Fact]
    public void Sorted_load_stores_ascending_entries()
    {
        using (ISortedLoad load = _store.BeginSortedLoad(Schema.Accounts))
        {
            load.Add(B("a"), B("1"));
            load.Add(B("b"), B("2"));
            load.Add(B("c"), B("3"));
            load.Complete();
            Assert.Equal(3, load.Count);
        }

        Assert.Equal(["a", "b", "c"], Keys(_store, Schema.Accounts));
        Assert.Equal("2", Read(_store, Schema.Accounts, "b"));
    }

    [Fact]
    public void Sorted_load_overrides_older_values_of_the_same_keys()
    {
        Put(Schema.Accounts, "b", "old");
        Put(Schema.Accounts, "z", "kept");

        using (ISortedLoad load = _store.BeginSortedLoad(Schema.Accounts))
        {
            load.Add(B("b"), B("new"));
            load.Complete();
        }

        Assert.Equal("new", Read(_store, Schema.Accounts, "b"));
        Assert.Equal("kept", Read(_store, Schema.Accounts, "z"));
    }

    [Fact]
    public void Sorted_load_rejects_a_key_out_of_order()
    {
        using ISortedLoad load = _store.BeginSortedLoad(Schema.Accounts);
        load.Add(B("b"), B("1"));

        Assert.Throws<ArgumentException>(() => load.Add(B("a"), B("2")));
        Assert.Throws<ArgumentException>(() => load.Add(B("b"), B("2")));
    }

    [Fact]
    public void Sorted_load_disposed_without_completing_stores_nothing()
    {
        using (ISortedLoad load = _store.BeginSortedLoad(Schema.Accounts))
        {
            load.Add(B("a"), B("1"));
        }

        Assert.Empty(Keys(_store, Schema.Accounts));
    }

    [Fact]
    public void Rejects_a_column_that_is_not_in_the_schema()
    {
        var foreign = new StoreColumn(3, "not-a-column");

        Assert.Throws<ArgumentException>(() => _store.TryGet(foreign, B("a"), new byte[4], out _));
    }

    [Fact]
    public void Use_after_dispose_throws_object_disposed()
    {
        IKeyValueStore store = CreateStore();
        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.TryGet(Schema.Code, B("a"), new byte[4], out _));
        Assert.Throws<ObjectDisposedException>(() => store.BeginBatch());
        Assert.Throws<ObjectDisposedException>(() => store.OpenSnapshot());
        Assert.Throws<ObjectDisposedException>(() => store.Iterate(Schema.Code, default, default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_a_sorted_dictionary_model_under_random_batches(int seed)
    {
        var random = new Random(seed);
        var model = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int round = 0; round < 40; round++)
        {
            using IWriteBatch batch = _store.BeginBatch();
            var pending = new SortedDictionary<string, string>(model, StringComparer.Ordinal);
            for (int op = 0; op < 10; op++)
            {
                string key = $"k{random.Next(60):D2}";
                switch (random.Next(6))
                {
                    case 0:
                        batch.Delete(Schema.Code, B(key));
                        pending.Remove(key);
                        break;
                    case 1:
                        string other = $"k{random.Next(60):D2}";
                        string end = string.CompareOrdinal(other, key) < 0 ? key : other;
                        key = end == key ? other : key;
                        batch.DeleteRange(Schema.Code, B(key), B(end));
                        foreach (string doomed in pending.Keys.Where(k => string.CompareOrdinal(k, key) >= 0 && string.CompareOrdinal(k, end) < 0).ToList()) pending.Remove(doomed);
                        break;
                    default:
                        string value = $"v{round}.{op}";
                        batch.Put(Schema.Code, B(key), B(value));
                        pending[key] = value;
                        break;
                }
            }
            if (random.Next(4) == 0) continue; // dropped without commit
            batch.Commit();
            model = pending;
        }

        var actual = new List<KeyValuePair<string, string>>();
        using IRangeCursor cursor = _store.Iterate(Schema.Code, default, default);
        while (cursor.MoveNext()) actual.Add(new(Encoding.ASCII.GetString(cursor.Key), Encoding.ASCII.GetString(cursor.Value)));
        Assert.Equal(model.ToList(), actual);
    }
}
