namespace Mgr.Node.State;

/// <summary>A state diff was rejected; <see cref="Reason"/> says why (the message names the entry).</summary>
public sealed class StateDiffException : Exception
{
    public StateDiffException(StateDiffError reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    public StateDiffException() : this(StateDiffError.MalformedRlp, "invalid state diff") { }

    public StateDiffException(string message) : this(StateDiffError.MalformedRlp, message) { }

    public StateDiffException(string message, Exception innerException) : this(StateDiffError.MalformedRlp, message, innerException) { }

    public StateDiffError Reason { get; }
}
