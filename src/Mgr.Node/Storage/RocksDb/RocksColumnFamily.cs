namespace Mgr.Node.Storage.RocksDb;

/// <summary>An open column family of one <see cref="RocksDatabase"/>, which owns and closes it.
/// Thread-safe; passing it to another database is an <see cref="ArgumentException"/>.</summary>
public sealed class RocksColumnFamily
{
    internal RocksColumnFamily(RocksDatabase owner, string name, ColumnFamilyHandle handle)
    {
        Owner = owner;
        Name = name;
        Handle = handle;
    }

    public string Name { get; }

    internal RocksDatabase Owner { get; }

    internal ColumnFamilyHandle Handle { get; }

    public override string ToString() => Name;
}
