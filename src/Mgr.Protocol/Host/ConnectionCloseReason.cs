namespace Mgr.Protocol.Host;

/// <summary>Why an established connection ended (logged, and the result of <see cref="PeerConnection.Closed"/>).</summary>
public enum ConnectionCloseReason
{
    /// <summary>This side closed it (<see cref="PeerConnection.DisposeAsync"/>).</summary>
    LocalClose,
    /// <summary>The peer closed it or sent go-away.</summary>
    RemoteClose,
    /// <summary>No stream was open for <see cref="HostOptions.IdleTimeout"/>.</summary>
    IdleTimeout,
    /// <summary>The peer broke the muxer protocol (window violation, unknown frame, stream flood).</summary>
    MuxerProtocolViolation,
    /// <summary>The secured channel failed (undecryptable, truncated or malformed Noise frame).</summary>
    SecurityFailure,
    /// <summary>The transport failed (reset, I/O error).</summary>
    TransportError,
    /// <summary>The host was shut down.</summary>
    HostStopped,
}
