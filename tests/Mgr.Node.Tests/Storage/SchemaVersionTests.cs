using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Tests.Storage;

public sealed class SchemaVersionTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private RocksDbStore Open() => RocksDbStore.Open(_directory.Path, RocksDb.RocksDbStoreTests.Small);

    private void Stamp(uint version)
    {
        using RocksDbStore store = Open();
        using IWriteBatch batch = store.BeginBatch();
        SchemaVersion.Write(batch, version);
        batch.Commit();
    }

    [Fact]
    public void Stamps_a_new_store_with_the_current_version()
    {
        using RocksDbStore store = Open();

        Assert.Equal(SchemaVersion.Current, SchemaVersion.Read(store));
    }

    [Fact]
    public void Reopens_a_store_of_the_current_version()
    {
        Open().Dispose();

        using RocksDbStore store = Open();

        Assert.Equal(SchemaVersion.Current, SchemaVersion.Read(store));
    }

    [Fact]
    public void Refuses_a_store_of_a_newer_version_naming_both_versions()
    {
        Stamp(SchemaVersion.Current + 1);

        SchemaVersionException error = Assert.Throws<SchemaVersionException>(Open);

        Assert.Equal(SchemaVersion.Current + 1, error.Found);
        Assert.Equal(SchemaVersion.Current, error.Supported);
        Assert.Contains($"schema version {SchemaVersion.Current + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"supports version {SchemaVersion.Current}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_older_version_it_cannot_migrate_and_leaves_it_untouched()
    {
        Stamp(0);

        SchemaVersionException error = Assert.Throws<SchemaVersionException>(Open);

        Assert.Equal(0u, error.Found);
        Assert.Contains("no migration", error.Message, StringComparison.Ordinal);
        using RocksDatabase raw = RocksDatabase.Open(_directory.Path, RocksDb.RocksDbStoreTests.Small, []);
        Assert.Equal([0, 0, 0, 0], raw.Get(raw.GetColumnFamily(Schema.Meta.Name), Schema.SchemaVersionKey));
    }

    [Fact]
    public void Refuses_a_store_holding_data_without_a_version()
    {
        using (RocksDatabase raw = RocksDatabase.Open(_directory.Path, RocksDb.RocksDbStoreTests.Small, [Schema.Headers.Name]))
        {
            raw.Put(raw.GetColumnFamily(Schema.Headers.Name), [1], [1]);
        }

        SchemaVersionException error = Assert.Throws<SchemaVersionException>(Open);

        Assert.Null(error.Found);
        Assert.Contains("no schema version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_malformed_version_stamp()
    {
        using (RocksDatabase raw = RocksDatabase.Open(_directory.Path, RocksDb.RocksDbStoreTests.Small, [Schema.Meta.Name]))
        {
            raw.Put(raw.GetColumnFamily(Schema.Meta.Name), Schema.SchemaVersionKey, [1, 2]);
        }

        SchemaVersionException error = Assert.Throws<SchemaVersionException>(Open);

        Assert.Contains("2 bytes long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stamps_an_empty_in_memory_store_too()
    {
        using var store = new InMemoryKeyValueStore();

        SchemaVersion.EnsureCompatible(store);

        Assert.Equal(SchemaVersion.Current, SchemaVersion.Read(store));
    }
}
