using System.Diagnostics.CodeAnalysis;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>A Yamux session or stream failure with its typed <see cref="Reason"/>.</summary>
public sealed class YamuxException : IOException
{
    public YamuxException(YamuxError reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public YamuxException(YamuxError reason, string message, Exception? inner)
        : base(message, inner)
    {
        Reason = reason;
    }

    public YamuxException()
        : this(YamuxError.ConnectionFailed, "Yamux failure.")
    {
    }

    public YamuxException(string message)
        : this(YamuxError.ConnectionFailed, message)
    {
    }

    public YamuxException(string message, Exception innerException)
        : this(YamuxError.ConnectionFailed, message, innerException)
    {
    }

    /// <summary>Why the operation failed.</summary>
    public YamuxError Reason { get; }

    [DoesNotReturn, System.Diagnostics.StackTraceHidden]
    internal static void Throw(YamuxError reason, string message) => throw new YamuxException(reason, message);
}
