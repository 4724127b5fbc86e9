namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The type byte of a Yamux frame header.</summary>
public enum YamuxFrameType : byte
{
    /// <summary>Stream payload; the length field is the payload length.</summary>
    Data = 0,
    /// <summary>Grows the sender's receive window by the length field.</summary>
    WindowUpdate = 1,
    /// <summary>Round-trip probe on stream 0; the length field is an opaque value echoed back.</summary>
    Ping = 2,
    /// <summary>Session termination on stream 0; the length field is a <see cref="YamuxGoAwayCode"/>.</summary>
    GoAway = 3,
}
