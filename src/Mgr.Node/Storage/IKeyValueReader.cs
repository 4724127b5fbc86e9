namespace Mgr.Node.Storage;

/// <summary>Reads of the node's store (or of a snapshot of it). Keys within a column are ordered byte-wise.</summary>
public interface IKeyValueReader
{
    /// <summary>Copies the value of <paramref name="key"/> into <paramref name="destination"/>. Returns false if the
    /// key is absent. When present, <paramref name="valueLength"/> is the value's full length and the value is
    /// copied only if it fits: check <c>valueLength &lt;= destination.Length</c> and retry with a larger buffer.</summary>
    bool TryGet(StoreColumn column, ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength);

    /// <summary>Cursor over the keys of <paramref name="column"/> in [<paramref name="lowerBound"/>,
    /// <paramref name="upperBound"/>) in ascending order; an empty bound leaves that side open.</summary>
    IRangeCursor Iterate(StoreColumn column, ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound);
}
