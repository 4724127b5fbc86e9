using Microsoft.Extensions.Logging;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>Log messages of the Yamux session.</summary>
internal static partial class YamuxLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Yamux {Role}: closing the session after a protocol violation, {Reason}: {Detail}")]
    public static partial void ProtocolViolation(ILogger logger, string role, YamuxError reason, string detail);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Yamux {Role}: session ended, {Reason}: {Detail}")]
    public static partial void SessionEnded(ILogger logger, string role, YamuxError reason, string detail);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Yamux {Role}: the peer sent go-away with code {Code}")]
    public static partial void RemoteGoAway(ILogger logger, string role, uint code);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Yamux {Role}: disposing the connection failed")]
    public static partial void ShutdownFailed(ILogger logger, string role, Exception exception);
}
