namespace Mgr.Protocol.Transport.Ping;

/// <summary>A ping round failed; <see cref="Reason"/> says why.</summary>
public sealed class PingException : IOException
{
    public PingException(PingError reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public PingException() : this(PingError.Mismatch, "Ping failed.") { }

    public PingException(string message) : this(PingError.Mismatch, message) { }

    public PingException(string message, Exception innerException) : this(PingError.Mismatch, message, innerException) { }

    /// <summary>What went wrong.</summary>
    public PingError Reason { get; }
}
