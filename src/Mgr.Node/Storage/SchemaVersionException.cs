namespace Mgr.Node.Storage;

/// <summary>The store was written with a schema this build cannot read: a newer version, an unknown one, or an
/// older one with no migration. Names both versions; the store is left untouched.</summary>
public sealed class SchemaVersionException : StorageException
{
    public SchemaVersionException(string message, uint? found, uint supported) : base(message)
    {
        Found = found;
        Supported = supported;
    }

    public SchemaVersionException() { }

    public SchemaVersionException(string message) : base(message) { }

    public SchemaVersionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The version stamped in the store, or null if it has none (or an unreadable one).</summary>
    public uint? Found { get; }

    /// <summary>The version this build reads and writes (<see cref="SchemaVersion.Current"/>).</summary>
    public uint Supported { get; } = SchemaVersion.Current;
}
