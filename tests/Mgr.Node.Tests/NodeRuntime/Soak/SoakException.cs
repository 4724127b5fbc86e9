namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>The soak could not go on: a run exited by itself, or did not reach its target in time. The message names the
/// run and its log.</summary>
internal sealed class SoakException : Exception
{
    public SoakException() { }
    public SoakException(string message) : base(message) { }
    public SoakException(string message, Exception inner) : base(message, inner) { }
}
