namespace Mgr.Node.Storage;

/// <summary>Writes that become visible together, and survive a crash together, when <see cref="Commit"/> runs;
/// disposing without committing discards them. Keys and values are copied when added. Not thread-safe.</summary>
public interface IWriteBatch : IDisposable
{
    void Put(StoreColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(StoreColumn column, ReadOnlySpan<byte> key);

    /// <summary>Deletes every key in [<paramref name="fromKey"/>, <paramref name="toKeyExclusive"/>); an empty range
    /// does nothing, a reversed one is an <see cref="ArgumentException"/>.</summary>
    void DeleteRange(StoreColumn column, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> toKeyExclusive);

    /// <summary>Operations added so far.</summary>
    int Count { get; }

    /// <summary>Applies every operation atomically. A batch commits once; later calls throw.</summary>
    void Commit();
}
