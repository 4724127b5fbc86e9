namespace Mgr.Node.Storage;

/// <summary>Remembers the last key of a sorted stream and rejects any key that is not strictly greater.</summary>
internal sealed class AscendingKeyCheck
{
    private byte[] _last = new byte[64];
    private int _lastLength = -1;

    public void Next(ReadOnlySpan<byte> key)
    {
        if (_lastLength >= 0 && key.SequenceCompareTo(_last.AsSpan(0, _lastLength)) <= 0)
            throw new ArgumentException("Keys of a sorted load must arrive in strictly ascending order.", nameof(key));
        if (key.Length > _last.Length) _last = new byte[Math.Max(key.Length, _last.Length * 2)];
        key.CopyTo(_last);
        _lastLength = key.Length;
    }
}
