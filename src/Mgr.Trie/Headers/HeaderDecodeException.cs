using Mgr.Trie.Rlp;

namespace Mgr.Trie.Headers;

/// <summary>A block header's RLP was rejected: the typed <see cref="Reason"/>, the offending <see cref="Field"/>
/// (its JSON name, when one field is at fault) and the underlying <see cref="RlpException"/>, if any.</summary>
public sealed class HeaderDecodeException : Exception
{
    public HeaderDecodeException(HeaderError reason, string? field, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Field = field;
    }

    public HeaderDecodeException() : this(HeaderError.NotAList, null, "Invalid block header.") { }

    public HeaderDecodeException(string message) : this(HeaderError.NotAList, null, message) { }

    public HeaderDecodeException(string message, Exception innerException) : this(HeaderError.NotAList, null, message, innerException) { }

    /// <summary>What was wrong.</summary>
    public HeaderError Reason { get; }

    /// <summary>The field at fault (e.g. <c>gasLimit</c>), or null when the fault is the list itself.</summary>
    public string? Field { get; }

    /// <summary>The RLP-level reason, when the fault is in the encoding.</summary>
    public RlpError? RlpReason => (InnerException as RlpException)?.Reason;
}
