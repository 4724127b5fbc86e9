namespace Mgr.Protocol.Transport.Noise;

/// <summary>Thrown when a Noise handshake or a secured connection fails; <see cref="Reason"/> says why.</summary>
public sealed class NoiseException : Exception
{
    public NoiseException(NoiseError reason, string message) : base(message) => Reason = reason;

    public NoiseException(NoiseError reason, string message, Exception innerException) : base(message, innerException) =>
        Reason = reason;

    public NoiseException() : this(NoiseError.MalformedMessage, "Noise failure.") { }

    public NoiseException(string message) : this(NoiseError.MalformedMessage, message) { }

    public NoiseException(string message, Exception innerException) : this(NoiseError.MalformedMessage, message, innerException) { }

    /// <summary>What went wrong.</summary>
    public NoiseError Reason { get; }
}
