namespace Mgr.Node.Storage.RocksDb;

/// <summary><see cref="IRangeCursor"/> over a bounded <see cref="RocksIterator"/>.</summary>
internal sealed class RocksDbRangeCursor(RocksIterator iterator, ReadOnlySpan<byte> lowerBound) : IRangeCursor
{
    private readonly byte[] _start = lowerBound.ToArray();
    private bool _started;

    public ReadOnlySpan<byte> Key => iterator.Key;

    public ReadOnlySpan<byte> Value => iterator.Value;

    public bool MoveNext()
    {
        if (_started)
        {
            if (!iterator.IsValid) return false;
            iterator.Next();
        }
        else
        {
            _started = true;
            if (_start.Length == 0) iterator.SeekToFirst();
            else iterator.Seek(_start);
        }
        return iterator.IsValid;
    }

    public void Dispose() => iterator.Dispose();
}
