using Mgr.Trie.Primitives;

namespace Mgr.Node.State;

/// <summary><see cref="StateApplier"/> refused a diff; nothing was written. For <see cref="StateApplyError.RootMismatch"/>
/// <see cref="Expected"/> and <see cref="Actual"/> hold both roots.</summary>
public sealed class StateApplyException : Exception
{
    public StateApplyException(StateApplyError reason, string message, Hash256 expected = default, Hash256 actual = default, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Expected = expected;
        Actual = actual;
    }

    public StateApplyException() : this(StateApplyError.RootMismatch, "state diff refused") { }

    public StateApplyException(string message) : this(StateApplyError.RootMismatch, message) { }

    public StateApplyException(string message, Exception innerException) : this(StateApplyError.RootMismatch, message, innerException: innerException) { }

    public StateApplyError Reason { get; }

    /// <summary>The root the caller expected (root mismatch only).</summary>
    public Hash256 Expected { get; }

    /// <summary>The root the diff produced (root mismatch only).</summary>
    public Hash256 Actual { get; }
}
