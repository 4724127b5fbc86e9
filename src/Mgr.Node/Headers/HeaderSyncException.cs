namespace Mgr.Node.Headers;

/// <summary>Header sync cannot go on: the chain contradicts the checkpoint, or no usable peer is left.
/// The message says which and what to do.</summary>
public sealed class HeaderSyncException : Exception
{
    public HeaderSyncException(string message) : base(message) { }

    public HeaderSyncException() { }

    public HeaderSyncException(string message, Exception innerException) : base(message, innerException) { }
}
