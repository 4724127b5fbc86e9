namespace Mgr.Protocol.Transport.Yamux;

/// <summary>How a Yamux session ended: the first cause wins and later failures are ignored.</summary>
/// <param name="Reason">The typed cause.</param>
/// <param name="Detail">A human-readable description (what was wrong, which stream).</param>
/// <param name="RemoteGoAwayCode">The code of the peer's go-away frame, if one arrived.</param>
public sealed record YamuxTermination(YamuxError Reason, string Detail, YamuxGoAwayCode? RemoteGoAwayCode = null)
{
    /// <summary>True when the peer broke the protocol (this side sent go-away with a protocol error).</summary>
    public bool IsProtocolViolation => Reason is >= YamuxError.UnsupportedVersion and <= YamuxError.PingFlood;
}
