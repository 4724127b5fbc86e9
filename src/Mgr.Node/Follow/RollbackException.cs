namespace Mgr.Node.Follow;

/// <summary>A rollback was refused or stopped, for the typed <see cref="Error"/>.</summary>
public sealed class RollbackException : Exception
{
    public RollbackException(RollbackError error, string message, Exception? innerException = null) : base(message, innerException)
    {
        Error = error;
    }

    public RollbackException() : this(RollbackError.CorruptHistory, "rollback refused") { }

    public RollbackException(string message) : this(RollbackError.CorruptHistory, message) { }

    public RollbackException(string message, Exception innerException) : this(RollbackError.CorruptHistory, message, innerException) { }

    public RollbackError Error { get; }

    /// <summary>True when the operator's target was refused before anything changed (exit code 2).</summary>
    public bool IsBadInput => Error is RollbackError.TargetAboveState or RollbackError.BeyondWindow;
}
