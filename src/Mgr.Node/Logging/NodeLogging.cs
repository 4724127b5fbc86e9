using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Mgr.Node.Logging;

/// <summary>Creates the node's logger factory: console output on stderr only (stdout carries each command's output
/// contract), one line per entry with a UTC timestamp, at or above a minimum level. Messages are structured
/// (<c>[LoggerMessage]</c> templates), and no code path logs secrets: JWT secrets and identity keys are never
/// passed to a logger; URLs are logged through <see cref="Redact"/>.</summary>
public static class NodeLogging
{
    /// <summary>A factory writing to stderr at <paramref name="level"/> and above in <paramref name="format"/>.
    /// The caller disposes it (which flushes pending entries).</summary>
    public static ILoggerFactory Create(LogLevel level, LogFormat format)
        => LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            if (format == LogFormat.Json)
            {
                builder.AddJsonConsole(options =>
                {
                    options.UseUtcTimestamp = true;
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    options.IncludeScopes = true;
                });
            }
            else
            {
                builder.AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.UseUtcTimestamp = true;
                    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    options.ColorBehavior = LoggerColorBehavior.Default;
                });
            }
            builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        });

    /// <summary>Parses a level name: trace, debug, information (info), warning (warn), error, critical, none.</summary>
    public static bool TryParseLevel(string? text, out LogLevel level)
    {
        level = text?.Trim().ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => (LogLevel)(-1),
        };
        return level >= LogLevel.Trace;
    }

    /// <summary>A URL safe to log: user info, query and fragment (where credentials and tokens hide) removed.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri) return "(relative URL)";
        var builder = new UriBuilder(url) { UserName = "", Password = "", Query = "", Fragment = "" };
        return builder.Uri.ToString();
    }
}
