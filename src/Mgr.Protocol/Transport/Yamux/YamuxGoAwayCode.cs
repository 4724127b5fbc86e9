namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The error code a go-away frame carries in its length field.</summary>
public enum YamuxGoAwayCode : uint
{
    /// <summary>Orderly shutdown.</summary>
    Normal = 0,
    /// <summary>The peer broke the protocol.</summary>
    ProtocolError = 1,
    /// <summary>The sender failed internally.</summary>
    InternalError = 2,
}
