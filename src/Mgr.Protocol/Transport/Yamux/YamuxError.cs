namespace Mgr.Protocol.Transport.Yamux;

/// <summary>Why a Yamux session ended or a stream operation failed.</summary>
public enum YamuxError
{
    /// <summary>The local side closed the session (dispose or go-away).</summary>
    LocalClose,
    /// <summary>The peer sent go-away and then closed the connection.</summary>
    RemoteGoAway,
    /// <summary>The underlying connection reached end of stream.</summary>
    ConnectionClosed,
    /// <summary>Reading or writing the underlying connection failed.</summary>
    ConnectionFailed,
    /// <summary>The peer sent no ping response within the keep-alive timeout.</summary>
    KeepAliveTimeout,

    /// <summary>Protocol violation: a header with a version other than 0.</summary>
    UnsupportedVersion,
    /// <summary>Protocol violation: a frame type outside 0–3.</summary>
    UnknownFrameType,
    /// <summary>Protocol violation: stream id 0 on a stream frame, or an id of the wrong parity in a SYN.</summary>
    InvalidStreamId,
    /// <summary>Protocol violation: a SYN for a stream id that was already used.</summary>
    DuplicateStream,
    /// <summary>Protocol violation: a frame for a stream that was never opened.</summary>
    DataOnUnknownStream,
    /// <summary>Protocol violation: more data than the receive window allows.</summary>
    WindowExceeded,
    /// <summary>Protocol violation: window updates that push the send window past 2^32 - 1.</summary>
    WindowOverflow,
    /// <summary>Protocol violation: a data frame longer than any window this side grants.</summary>
    FrameTooLarge,
    /// <summary>The peer opened streams beyond the limits faster than it let them be refused.</summary>
    StreamFlood,
    /// <summary>The peer sent pings faster than it read the responses.</summary>
    PingFlood,

    /// <summary>Stream: the peer reset it.</summary>
    StreamReset,
    /// <summary>Stream: this side reset it, or wrote after closing it.</summary>
    StreamClosed,
    /// <summary>Stream: the peer refused it because of its stream limits.</summary>
    StreamRefused,
    /// <summary>Stream: the session ended while the stream was open.</summary>
    SessionClosed,
    /// <summary>Open: the stream limit or the id space is exhausted.</summary>
    TooManyStreams,
}
