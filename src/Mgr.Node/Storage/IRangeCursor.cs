namespace Mgr.Node.Storage;

/// <summary>Forward cursor over a key range of one column. Starts before the first entry: call
/// <see cref="MoveNext"/> first. <see cref="Key"/> and <see cref="Value"/> are valid only until the next move or
/// disposal — copy what you keep. Not thread-safe.</summary>
public interface IRangeCursor : IDisposable
{
    /// <summary>Advances to the next entry; false once past the last one in range.</summary>
    bool MoveNext();

    ReadOnlySpan<byte> Key { get; }

    ReadOnlySpan<byte> Value { get; }
}
