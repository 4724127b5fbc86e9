namespace Mgr.Protocol.Transport.Ping;

/// <summary>Why a ping round failed.</summary>
public enum PingError
{
    /// <summary>The peer echoed different bytes than were sent.</summary>
    Mismatch,
    /// <summary>The stream ended inside a 32-byte payload.</summary>
    Truncated,
}
