namespace Mgr.Node.Follow;

/// <summary>Follow mode cannot take a step, for the typed <see cref="Error"/>; the layers and the store are unchanged.</summary>
public sealed class FollowException : Exception
{
    public FollowException(FollowError error, string message, Exception? innerException = null) : base(message, innerException)
    {
        Error = error;
    }

    public FollowException() : this(FollowError.UnknownParent, "follow step refused") { }

    public FollowException(string message) : this(FollowError.UnknownParent, message) { }

    public FollowException(string message, Exception innerException) : this(FollowError.UnknownParent, message, innerException) { }

    public FollowError Error { get; }
}
