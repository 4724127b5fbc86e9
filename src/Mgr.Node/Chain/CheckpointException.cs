namespace Mgr.Node.Chain;

/// <summary>A checkpoint that cannot be used: malformed text, an unreadable file, an unreachable or lying
/// URL, or a stored chain that contradicts it. The message says which and why.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string message) : base(message) { }

    public CheckpointException() { }

    public CheckpointException(string message, Exception innerException) : base(message, innerException) { }
}
