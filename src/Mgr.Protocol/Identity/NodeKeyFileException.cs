namespace Mgr.Protocol.Identity;

/// <summary>Thrown by <see cref="NodeKeyFile"/> when the key file cannot be read, parsed or written.</summary>
public sealed class NodeKeyFileException : Exception
{
    public NodeKeyFileException(NodeKeyFileError reason, string path, string message, Exception? innerException = null)
        : base($"Node key file '{path}': {message}", innerException)
    {
        Reason = reason;
        Path = path;
    }

    public NodeKeyFileException() : this(NodeKeyFileError.Malformed, "", "unusable") { }

    public NodeKeyFileException(string message) : this(NodeKeyFileError.Malformed, "", message) { }

    public NodeKeyFileException(string message, Exception innerException) : this(NodeKeyFileError.Malformed, "", message, innerException) { }

    /// <summary>What was wrong.</summary>
    public NodeKeyFileError Reason { get; }

    /// <summary>The key file's path.</summary>
    public string Path { get; }
}
