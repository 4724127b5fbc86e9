namespace Mgr.Node.NodeRuntime;

/// <summary>The node cannot start or cannot go on: the message says why in one line, and <see cref="ExitCode"/> is the
/// exit code of <c>mgr node</c> (spec/cli.md: 1 a runtime failure, 2 bad input such as a wrong checkpoint or genesis).</summary>
public sealed class NodeException : Exception
{
    public NodeException(string message, int exitCode, Exception? innerException = null) : base(message, innerException) => ExitCode = exitCode;

    public NodeException() : this("the node failed", 1) { }

    public NodeException(string message) : this(message, 1) { }

    public NodeException(string message, Exception innerException) : this(message, 1, innerException) { }

    /// <summary>1 for a runtime failure, 2 for bad input.</summary>
    public int ExitCode { get; }
}
