using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Tests.Storage.RocksDb;

public sealed class RocksDbStoreTests : KeyValueStoreContractTests
{
    private TemporaryDirectory? _directory;

    protected override IKeyValueStore CreateStore()
    {
        _directory ??= new TemporaryDirectory();
        return RocksDbStore.Open(_directory.Combine(Guid.NewGuid().ToString("N")), Small);
    }

    internal static RocksDbOptions Small { get; } = new() { BlockCacheBytes = 4 << 20, WriteBufferBytes = 4 << 20, Parallelism = 2 };

    public override void Dispose()
    {
        base.Dispose();
        _directory?.Dispose();
    }

    [Fact]
    public void Keeps_committed_data_across_a_reopen()
    {
        using var directory = new TemporaryDirectory();
        using (RocksDbStore store = RocksDbStore.Open(directory.Path, Small))
        {
            using IWriteBatch batch = store.BeginBatch();
            batch.Put(Schema.Code, [1, 2], [3, 4]);
            batch.Commit();
        }

        using RocksDbStore reopened = RocksDbStore.Open(directory.Path, Small);

        Assert.Equal([3, 4], reopened.Get(Schema.Code, [1, 2]));
    }

    [Fact]
    public void A_read_only_store_opens_beside_the_writer_sees_its_commits_and_refuses_writes()
    {
        using var directory = new TemporaryDirectory();
        using RocksDbStore writer = RocksDbStore.Open(directory.Path, Small);
        using (IWriteBatch batch = writer.BeginBatch())
        {
            batch.Put(Schema.Code, [1, 2], [3, 4]);
            batch.Commit();
        }

        using RocksDbStore reader = RocksDbStore.OpenReadOnly(directory.Path);
        using IWriteBatch write = reader.BeginBatch();
        write.Put(Schema.Code, [5], [6]);

        Assert.Equal([3, 4], reader.Get(Schema.Code, [1, 2]));
        Assert.Throws<StorageException>(write.Commit);
        Assert.Null(writer.Get(Schema.Code, [5]));
        Assert.Throws<StorageException>(() => RocksDbStore.Open(directory.Path, Small));
    }

    [Fact]
    public void Opening_read_only_where_there_is_no_store_fails_and_creates_nothing()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "none");

        var error = Assert.Throws<StorageException>(() => RocksDbStore.OpenReadOnly(path));

        Assert.Contains("no RocksDB database", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Opens_with_the_memory_settings_it_was_given()
    {
        using var directory = new TemporaryDirectory();
        RocksDbStore.Open(directory.Path, Small with { TotalWriteBufferBytes = 8 << 20, WriteBufferBytes = 2 << 20 }).Dispose();

        string options = File.ReadAllText(Directory.GetFiles(directory.Path, "OPTIONS-*").Order(StringComparer.Ordinal).Last());

        Assert.Contains("db_write_buffer_size=8388608", options, StringComparison.Ordinal);
        Assert.Contains("write_buffer_size=2097152", options, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_partitioned_index_and_filter_blocks_in_the_block_cache()
    {
        using var directory = new TemporaryDirectory();
        RocksDbStore.Open(directory.Path, Small).Dispose();

        string options = File.ReadAllText(Directory.GetFiles(directory.Path, "OPTIONS-*").Order(StringComparer.Ordinal).Last());

        Assert.Contains("index_type=kTwoLevelIndexSearch", options, StringComparison.Ordinal);
        Assert.Contains("partition_filters=true", options, StringComparison.Ordinal);
        Assert.Contains("cache_index_and_filter_blocks=true", options, StringComparison.Ordinal);
        Assert.Contains("pin_top_level_index_and_filter=true", options, StringComparison.Ordinal);
        Assert.DoesNotContain("cache_index_and_filter_blocks=false", options, StringComparison.Ordinal);
    }

    [Fact]
    public void Creates_a_column_family_for_every_schema_column()
    {
        using var directory = new TemporaryDirectory();
        RocksDbStore.Open(directory.Path, Small).Dispose();

        IReadOnlyList<string> families = RocksDatabase.ListColumnFamilies(directory.Path);

        Assert.Equal(Schema.Columns.Select(column => column.Name).Append("default").Order(), families.Order());
    }

    [Fact]
    public void Removes_files_of_a_sorted_load_that_never_completed()
    {
        using var directory = new TemporaryDirectory();
        using (RocksDbStore store = RocksDbStore.Open(directory.Path, Small))
        {
            ISortedLoad load = store.BeginSortedLoad(Schema.Accounts);
            load.Add([1], [1]);
            Assert.True(Directory.Exists(Path.Combine(directory.Path, RocksDbSortedLoad.ScratchFolderName)));
            load.Dispose();
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(directory.Path, RocksDbSortedLoad.ScratchFolderName)));
    }

    [Fact]
    public void Sorted_load_reports_a_failure_of_its_writer_thread_as_a_storage_exception()
    {
        using var directory = new TemporaryDirectory();
        using RocksDbStore store = RocksDbStore.Open(directory.Path, Small);
        using ISortedLoad load = store.BeginSortedLoad(Schema.Accounts);
        load.Add([1], [1]);
        Directory.Delete(Path.Combine(directory.Path, RocksDbSortedLoad.ScratchFolderName), recursive: true);

        StorageException error = Assert.Throws<StorageException>(load.Complete);

        Assert.Contains("SST file", error.Message, StringComparison.Ordinal);
        Assert.Null(store.Get(Schema.Accounts, [1]));
    }
}
