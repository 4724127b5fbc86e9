using Microsoft.Extensions.Logging;

namespace Mgr.Node.Dashboard;

/// <summary>The dashboard's log messages.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "Dashboard at {Address}")]
    public static partial void Listening(ILogger logger, Uri address);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning,
        Message = "Dashboard at {Address} is reachable from other machines and has no authentication: it shows peer ids and traffic")]
    public static partial void RemoteWarning(ILogger logger, Uri address);

    [LoggerMessage(EventId = 912, Level = LogLevel.Debug, Message = "Dashboard request failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string reason);
}
