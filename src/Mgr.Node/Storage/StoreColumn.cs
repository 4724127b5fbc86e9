namespace Mgr.Node.Storage;

/// <summary>A column family of the node's store: a separate sorted key space. <see cref="Id"/> is a dense index
/// (0…n-1, the position in <see cref="Schema.Columns"/>) used for fast lookup; <see cref="Name"/> is what is
/// persisted, so never rename a column that has shipped.</summary>
public readonly record struct StoreColumn(int Id, string Name)
{
    public override string ToString() => Name;
}
