using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Tests.Storage.RocksDb;

public sealed class RocksDatabaseTests : IDisposable
{
    private static readonly RocksDbOptions Options = RocksDbStoreTests.Small;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private RocksDatabase Open(params string[] families) => RocksDatabase.Open(_directory.Path, Options, families);

    [Fact]
    public void Opens_closes_and_reopens_with_the_data_kept()
    {
        using (RocksDatabase db = Open("data"))
        {
            db.Put(db.GetColumnFamily("data"), [1], [10, 11]);
        }

        using RocksDatabase reopened = Open();

        Assert.Equal([10, 11], reopened.Get(reopened.GetColumnFamily("data"), [1]));
    }

    [Fact]
    public void Creates_missing_column_families_and_lists_them()
    {
        using (RocksDatabase db = Open("a", "b"))
        {
            db.CreateColumnFamily("c");
            Assert.Equal(["a", "b", "c", "default"], db.ColumnFamilyNames.Order());
        }

        Assert.Equal(["a", "b", "c", "default"], RocksDatabase.ListColumnFamilies(_directory.Path).Order());
        using RocksDatabase reopened = Open("d");
        Assert.Equal(["a", "b", "c", "d", "default"], reopened.ColumnFamilyNames.Order());
    }

    [Fact]
    public void Reports_an_unknown_column_family_with_its_name()
    {
        using RocksDatabase db = Open();

        StorageException error = Assert.Throws<StorageException>(() => db.GetColumnFamily("missing"));
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_column_family_of_another_database()
    {
        using RocksDatabase db = Open("x");
        using var other = new TemporaryDirectory();
        using RocksDatabase second = RocksDatabase.Open(other.Path, Options, ["x"]);

        Assert.Throws<ArgumentException>(() => db.Put(second.GetColumnFamily("x"), [1], [1]));
    }

    [Fact]
    public void Applies_a_write_batch_atomically()
    {
        using RocksDatabase db = Open("a", "b");
        RocksColumnFamily a = db.GetColumnFamily("a"), b = db.GetColumnFamily("b");
        db.Put(a, [9], [9]);
        using var batch = new RocksWriteBatch();
        batch.Put(a, [1], [1]);
        batch.Put(b, [2], [2]);
        batch.Delete(a, [9]);

        Assert.Null(db.Get(a, [1]));
        Assert.Equal(3, batch.Count);

        db.Write(batch);

        Assert.Equal([1], db.Get(a, [1]));
        Assert.Equal([2], db.Get(b, [2]));
        Assert.Null(db.Get(a, [9]));
    }

    [Fact]
    public void Reads_a_value_into_a_span_without_allocating_a_copy()
    {
        using RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        db.Put(a, [1], [5, 6, 7]);
        Span<byte> destination = stackalloc byte[8];

        Assert.True(db.TryGet(a, [1], destination, out int length));
        Assert.Equal(3, length);
        Assert.Equal([5, 6, 7], destination[..3].ToArray());
    }

    [Fact]
    public void Iterator_stays_within_its_lower_and_upper_bounds()
    {
        using RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        for (byte i = 0; i < 10; i++) db.Put(a, [i], [i]);
        var seen = new List<byte>();

        using (RocksIterator iterator = db.CreateIterator(a, [3], [7]))
        {
            for (iterator.SeekToFirst(); iterator.IsValid; iterator.Next()) seen.Add(iterator.Key[0]);
            iterator.Seek([0]);
            Assert.Equal(3, iterator.Key[0]); // seeking below the lower bound lands on it
            iterator.Seek([8]);
            Assert.False(iterator.IsValid);
        }

        Assert.Equal([3, 4, 5, 6], seen);
    }

    [Fact]
    public void Iterator_reading_a_snapshot_ignores_later_writes()
    {
        using RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        db.Put(a, [1], [1]);
        using RocksSnapshot snapshot = db.CreateSnapshot();
        db.Put(a, [1], [2]);
        db.Put(a, [2], [2]);

        using RocksIterator iterator = db.CreateIterator(a, snapshot: snapshot);
        iterator.SeekToFirst();

        Assert.Equal([1], iterator.Key.ToArray());
        Assert.Equal([1], iterator.Value.ToArray());
        iterator.Next();
        Assert.False(iterator.IsValid);
        Assert.Equal([1], db.Get(a, [1], snapshot));
        Assert.Equal([2], db.Get(a, [1]));
    }

    [Fact]
    public void Disposing_everything_twice_is_harmless()
    {
        RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        var batch = new RocksWriteBatch();
        RocksIterator iterator = db.CreateIterator(a);
        RocksSnapshot snapshot = db.CreateSnapshot();

        batch.Dispose();
        batch.Dispose();
        iterator.Dispose();
        iterator.Dispose();
        snapshot.Dispose();
        snapshot.Dispose();
        db.Dispose();
        db.Dispose();

        Assert.True(snapshot.IsDisposed);
    }

    [Fact]
    public void Use_after_dispose_throws_object_disposed_with_a_clear_message()
    {
        RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        var batch = new RocksWriteBatch();
        RocksIterator iterator = db.CreateIterator(a);
        RocksSnapshot snapshot = db.CreateSnapshot();
        batch.Dispose();
        iterator.Dispose();
        snapshot.Dispose();
        db.Dispose();

        ObjectDisposedException closed = Assert.Throws<ObjectDisposedException>(() => db.Put(a, [1], [1]));
        Assert.Contains("has been closed", closed.Message, StringComparison.Ordinal);
        Assert.Contains(_directory.Path, closed.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => batch.Put(a, [1], [1]));
        Assert.Throws<ObjectDisposedException>(() => iterator.SeekToFirst());
        Assert.Throws<ObjectDisposedException>(() => db.CreateSnapshot());
    }

    [Fact]
    public void Iterator_outliving_its_database_keeps_working_until_disposed()
    {
        RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        db.Put(a, [1], [1]);
        RocksIterator iterator = db.CreateIterator(a);

        db.Dispose();
        iterator.SeekToFirst();

        Assert.Equal([1], iterator.Value.ToArray());
        iterator.Dispose();
        using RocksDatabase reopened = Open(); // the native database really closed: its lock is free
        Assert.Equal([1], reopened.Get(reopened.GetColumnFamily("a"), [1]));
    }

    [Fact]
    public void Opening_a_database_held_by_another_handle_fails_with_rocksdbs_lock_message()
    {
        using RocksDatabase db = Open();

        StorageException error = Assert.Throws<StorageException>(() => Open());
        Assert.Contains("lock", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Opening_a_path_that_is_a_file_fails_with_a_clear_error()
    {
        string file = _directory.Combine("plain-file");
        File.WriteAllText(file, "not a database");

        StorageException error = Assert.Throws<StorageException>(() => RocksDatabase.Open(file, Options, []));
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a database", File.ReadAllText(file));
    }

    [Fact]
    public void Opening_a_missing_database_without_create_fails_with_rocksdbs_message()
    {
        StorageException error = Assert.Throws<StorageException>(
            () => RocksDatabase.Open(_directory.Combine("absent"), Options with { CreateIfMissing = false }, []));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingests_a_sorted_sst_file()
    {
        using RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        db.Put(a, [2], [0]);
        string path = _directory.Combine("load.sst");
        using (RocksSstFileWriter writer = db.CreateSstFileWriter(path))
        {
            writer.Put([1], [1]);
            writer.Put([2], [2]);
            writer.Finish();
        }

        db.IngestFiles(a, [path]);

        Assert.Equal([1], db.Get(a, [1]));
        Assert.Equal([2], db.Get(a, [2]));
    }

    [Fact]
    public void Sst_writer_rejects_keys_out_of_order_with_a_storage_exception()
    {
        using RocksDatabase db = Open();
        using RocksSstFileWriter writer = db.CreateSstFileWriter(_directory.Combine("bad.sst"));
        writer.Put([2], [2]);

        StorageException error = Assert.Throws<StorageException>(() => writer.Put([1], [1]));
        Assert.Contains("SST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_the_estimated_key_count_property()
    {
        using RocksDatabase db = Open("a");
        RocksColumnFamily a = db.GetColumnFamily("a");
        for (byte i = 0; i < 5; i++) db.Put(a, [i], [i]);
        db.Flush(a);

        Assert.Equal("5", db.GetProperty(a, "rocksdb.estimate-num-keys"));
        Assert.Null(db.GetProperty(a, "rocksdb.no-such-property"));
    }
}
