using Microsoft.Extensions.Logging;

namespace Mgr.Node.Progress;

/// <summary>The progress display's log messages.</summary>
internal static partial class ProgressLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "progress {Summary}")]
    public static partial void Line(ILogger logger, string summary);
}
