namespace Mgr.Fuzz.Engine;

/// <summary>Thrown by an asynchronous target when its own deadline (<see cref="FuzzTarget.TimeBound"/>) passed before
/// the code under test finished or failed; the runner reports a hang.</summary>
internal sealed class FuzzTimeoutException : Exception
{
    public FuzzTimeoutException(string message) : base(message) { }

    public FuzzTimeoutException() : base("the input did not finish in time") { }

    public FuzzTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
