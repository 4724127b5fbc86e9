using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The one error that frame and message decoding raises on bad peer input: a typed
/// <see cref="ViolationReason"/> (which maps to a <see cref="Messages.Penalty"/>) and a short detail.</summary>
public sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(ViolationReason reason, string detail, Exception? inner = null)
        : base($"Protocol violation {reason}: {detail}", inner)
    {
        Reason = reason;
    }

    public ProtocolViolationException() : this(ViolationReason.Truncated, "unspecified") { }
    public ProtocolViolationException(string message) : this(ViolationReason.Truncated, message) { }
    public ProtocolViolationException(string message, Exception innerException) : this(ViolationReason.Truncated, message, innerException) { }

    /// <summary>What was wrong.</summary>
    public ViolationReason Reason { get; }

    /// <summary>What it costs the sender.</summary>
    public Penalty Penalty => PenaltyTable.For(Reason);

    /// <summary>Throws; kept out of line so hot callers stay small.</summary>
    [DoesNotReturn, StackTraceHidden]
    public static void Throw(ViolationReason reason, string detail) => throw new ProtocolViolationException(reason, detail);

    /// <summary>Translates an RLP decoding error of message <paramref name="message"/> into a violation.</summary>
    public static ProtocolViolationException FromRlp(string message, RlpException error) => new(error.Reason switch
    {
        RlpError.Truncated or RlpError.UnexpectedEnd => ViolationReason.Truncated,
        RlpError.TrailingBytes => ViolationReason.TrailingBytes,
        RlpError.NonCanonicalLength or RlpError.NonCanonicalSingleByte or RlpError.NonCanonicalInteger => ViolationReason.NonCanonical,
        RlpError.TooDeep or RlpError.LengthOverflow => ViolationReason.TooManyItems,
        _ => ViolationReason.WrongType,
    }, $"{message}: {error.Message}", error);
}
