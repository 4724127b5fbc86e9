namespace Mgr.Protocol.Addressing;

/// <summary>Thrown when a multiaddr's text or binary form is malformed or uses an unsupported protocol.</summary>
public sealed class MultiaddrException : Exception
{
    public MultiaddrException(MultiaddrError reason, string message) : base(message) => Reason = reason;

    public MultiaddrException() : this(MultiaddrError.BadSyntax, "Malformed multiaddr.") { }

    public MultiaddrException(string message) : this(MultiaddrError.BadSyntax, message) { }

    public MultiaddrException(string message, Exception innerException) : base(message, innerException) =>
        Reason = MultiaddrError.BadSyntax;

    /// <summary>What was wrong.</summary>
    public MultiaddrError Reason { get; }
}
