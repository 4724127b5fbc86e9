using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Mgr.Protocol.Encoding;

/// <summary>Thrown by <see cref="ProtobufReader"/> (and message decoders built on it) for malformed input.</summary>
public sealed class ProtobufException : Exception
{
    public ProtobufException(ProtobufError reason, int position)
        : base($"Malformed protobuf ({reason}) at byte {position}.")
    {
        Reason = reason;
        Position = position;
    }

    public ProtobufException() : this(ProtobufError.SchemaViolation, 0) { }

    public ProtobufException(string message) : base(message) => Reason = ProtobufError.SchemaViolation;

    public ProtobufException(string message, Exception innerException) : base(message, innerException) =>
        Reason = ProtobufError.SchemaViolation;

    /// <summary>What was wrong.</summary>
    public ProtobufError Reason { get; }

    /// <summary>Byte offset in the message where the problem was found.</summary>
    public int Position { get; }

    [DoesNotReturn, StackTraceHidden]
    public static void Throw(ProtobufError reason, int position) => throw new ProtobufException(reason, position);
}
