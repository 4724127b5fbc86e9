namespace Mgr.Node.Storage;

/// <summary>A storage operation failed: RocksDB reported an error (I/O, no space, corruption, lock held by
/// another process…) or the store's contents break an invariant. The message carries RocksDB's own text.</summary>
public class StorageException : Exception
{
    public StorageException() { }

    public StorageException(string message) : base(message) { }

    public StorageException(string message, Exception innerException) : base(message, innerException) { }
}
