using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Mgr.Trie.Rlp;

/// <summary>The one error RLP decoding raises: a typed reason and the byte position where it was found.</summary>
public sealed class RlpException : Exception
{
    public RlpException(RlpError reason, int position)
        : base($"Invalid RLP: {reason} at byte {position}.")
    {
        Reason = reason;
        Position = position;
    }

    public RlpException() : this(RlpError.Truncated, 0) { }

    public RlpException(string message) : base(message) { }

    public RlpException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>What was wrong.</summary>
    public RlpError Reason { get; }

    /// <summary>Offset of the offending item from the start of the outermost reader's input (nested
    /// readers from <see cref="RlpReader.ReadList"/> report positions in that same input).</summary>
    public int Position { get; }

    /// <summary>Throws; kept out of line so hot callers stay small.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void Throw(RlpError reason, int position) => throw new RlpException(reason, position);
}
