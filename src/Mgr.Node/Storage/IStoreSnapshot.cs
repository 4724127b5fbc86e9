namespace Mgr.Node.Storage;

/// <summary>A point-in-time view of the store for consistent multi-key reads (e.g. serving a range while sync
/// keeps committing). Disposing twice is harmless; reads after disposal throw <see cref="ObjectDisposedException"/>.</summary>
public interface IStoreSnapshot : IKeyValueReader, IDisposable;
