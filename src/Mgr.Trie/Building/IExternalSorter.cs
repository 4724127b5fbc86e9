namespace Mgr.Trie.Building;

/// <summary>Sorts more entries than should be held in memory (an external sort, such as Mgr.Node's ETL collector): takes
/// them in any order, then hands them back once, in ascending key order, to feed a <see cref="StackTrieBuilder"/>.</summary>
/// <remarks>Keys and values passed in are copied. The spans given to the handler are valid only during the call. Entries
/// with equal keys may be merged (the last added wins): callers that must see duplicates make their keys unique.</remarks>
public interface IExternalSorter
{
    void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Hands every entry to <paramref name="handler"/> in ascending key order; once.</summary>
    void Drain(SortedEntryHandler handler);
}

/// <summary>Receives one entry of an <see cref="IExternalSorter"/>'s output.</summary>
public delegate void SortedEntryHandler(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
