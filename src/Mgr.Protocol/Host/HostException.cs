namespace Mgr.Protocol.Host;

/// <summary>Thrown by <see cref="Libp2pHost"/> and <see cref="PeerConnection"/> operations; <see cref="Reason"/> says
/// why, and <see cref="Exception.InnerException"/> carries the layer's own typed error (Noise, multistream, Yamux, socket).</summary>
public sealed class HostException : Exception
{
    public HostException(HostError reason, string message) : base(message) => Reason = reason;

    public HostException(HostError reason, string message, Exception? innerException) : base(message, innerException) => Reason = reason;

    public HostException() : this(HostError.ConnectionClosed, "Host operation failed.") { }

    public HostException(string message) : this(HostError.ConnectionClosed, message) { }

    public HostException(string message, Exception innerException) : this(HostError.ConnectionClosed, message, innerException) { }

    /// <summary>What went wrong.</summary>
    public HostError Reason { get; }
}
