namespace Mgr.Protocol.Transport.Multistream;

/// <summary>Thrown when multistream-select negotiation fails; <see cref="Reason"/> says why.</summary>
public sealed class MultistreamException : Exception
{
    public MultistreamException(MultistreamError reason, string message) : base(message) => Reason = reason;

    public MultistreamException() : this(MultistreamError.ProtocolViolation, "Multistream negotiation failed.") { }

    public MultistreamException(string message) : this(MultistreamError.ProtocolViolation, message) { }

    public MultistreamException(string message, Exception innerException)
        : this(MultistreamError.ProtocolViolation, message, innerException) { }

    public MultistreamException(MultistreamError reason, string message, Exception innerException)
        : base(message, innerException) => Reason = reason;

    /// <summary>What went wrong.</summary>
    public MultistreamError Reason { get; }
}
