namespace Mgr.Node.Logging;

/// <summary>How log entries are written to stderr.</summary>
public enum LogFormat
{
    /// <summary>One line per entry: UTC time, level, category, message.</summary>
    Text,

    /// <summary>One JSON object per line with the message template's named values as properties.</summary>
    Json,
}
