namespace Mgr.Node.Demo;

/// <summary>The demo could not run or could not show what it set out to (a child exited, a timeout, a bad status
/// document); the message says which and where the logs are.</summary>
public sealed class DemoException : Exception
{
    public DemoException() { }
    public DemoException(string message) : base(message) { }
    public DemoException(string message, Exception inner) : base(message, inner) { }
}
