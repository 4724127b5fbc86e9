namespace Mgr.Protocol.Transport.Identify;

/// <summary>An Identify message was rejected; <see cref="Reason"/> says why.</summary>
public sealed class IdentifyException : IOException
{
    public IdentifyException(IdentifyError reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public IdentifyException() : this(IdentifyError.Malformed, "Malformed identify message.") { }

    public IdentifyException(string message) : this(IdentifyError.Malformed, message) { }

    public IdentifyException(string message, Exception innerException) : this(IdentifyError.Malformed, message, innerException) { }

    /// <summary>What was wrong.</summary>
    public IdentifyError Reason { get; }
}
