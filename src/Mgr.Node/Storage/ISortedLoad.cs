namespace Mgr.Node.Storage;

/// <summary>A bulk load into one column from entries in strictly ascending key order (what the ETL merge
/// produces). Entries become visible and durable at <see cref="Complete"/>; an entry out of order is an
/// <see cref="ArgumentException"/>. Disposing without completing discards what has not been stored yet.</summary>
public interface ISortedLoad : IDisposable
{
    void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Entries added so far.</summary>
    long Count { get; }

    /// <summary>Stores what remains and makes the whole load durable.</summary>
    void Complete();
}
