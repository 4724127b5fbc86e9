namespace Mgr.Protocol.Identity;

/// <summary>Thrown when a libp2p key, private key file content or peer id cannot be decoded or used.</summary>
public sealed class KeyFormatException : Exception
{
    public KeyFormatException(KeyFormatError reason, string message) : base(message) => Reason = reason;

    public KeyFormatException(KeyFormatError reason, string message, Exception innerException)
        : base(message, innerException) => Reason = reason;

    public KeyFormatException() : this(KeyFormatError.MalformedEnvelope, "Malformed key.") { }

    public KeyFormatException(string message) : this(KeyFormatError.MalformedEnvelope, message) { }

    public KeyFormatException(string message, Exception innerException)
        : this(KeyFormatError.MalformedEnvelope, message, innerException) { }

    /// <summary>What was wrong.</summary>
    public KeyFormatError Reason { get; }
}
