using System.Buffers.Binary;

namespace Mgr.Node.Storage.Etl;

/// <summary>Writes one sorted run file: records of [key length (4, BE)] [value length (4, BE)] [key] [value],
/// through a pooled write buffer, which must be at least as large as the largest record.</summary>
internal sealed class EtlRunWriter : IDisposable
{
    public const int HeaderBytes = 8;

    private readonly EtlBuffers _buffers;
    private readonly FileStream _file;
    private byte[]? _buffer;
    private int _used;

    public EtlRunWriter(string path, EtlBuffers buffers, int bufferBytes)
    {
        _buffers = buffers;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.SequentialScan);
        _buffer = buffers.RentBytes(bufferBytes);
    }

    public void Write(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int length = HeaderBytes + key.Length + value.Length;
        if (length > _buffer!.Length - _used) Drain();
        Span<byte> target = _buffer.AsSpan(_used, length);
        WriteHeader(target, key.Length, value.Length);
        key.CopyTo(target[HeaderBytes..]);
        value.CopyTo(target[(HeaderBytes + key.Length)..]);
        _used += length;
    }

    /// <summary>Writes what is buffered and closes the file.</summary>
    public void Complete()
    {
        Drain();
        _file.Flush();
        Dispose();
    }

    public void Dispose()
    {
        _file.Dispose();
        _buffers.Return(_buffer);
        _buffer = null;
    }

    private void Drain()
    {
        _file.Write(_buffer!, 0, _used);
        _used = 0;
    }

    private static void WriteHeader(Span<byte> target, int keyLength, int valueLength)
    {
        BinaryPrimitives.WriteInt32BigEndian(target, keyLength);
        BinaryPrimitives.WriteInt32BigEndian(target[4..], valueLength);
    }
}
