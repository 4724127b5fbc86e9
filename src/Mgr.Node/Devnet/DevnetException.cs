namespace Mgr.Node.Devnet;

/// <summary>A devnet directory, file or chain log is unusable (missing, malformed, inconsistent); the message says
/// which file and why.</summary>
public sealed class DevnetException : Exception
{
    public DevnetException() : base("devnet error") { }

    public DevnetException(string message) : base(message) { }

    public DevnetException(string message, Exception innerException) : base(message, innerException) { }
}
