using System.Buffers.Binary;

namespace Mgr.Node.Storage.Etl;

/// <summary>Reads a run file written by <see cref="EtlRunWriter"/> record by record through a pooled buffer (every
/// record fits it). A truncated or malformed file is a <see cref="StorageException"/>.</summary>
internal sealed class EtlRunReader : IDisposable
{
    private readonly EtlBuffers _buffers;
    private readonly FileStream _file;
    private readonly string _path;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _keyLength;
    private int _valueLength;
    private readonly int _maxEntryBytes;
    private bool _positioned;

    public EtlRunReader(string path, int age, EtlBuffers buffers, int bufferBytes, int maxEntryBytes)
    {
        _maxEntryBytes = maxEntryBytes;
        _path = path;
        Age = age;
        _buffers = buffers;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        _buffer = buffers.RentBytes(bufferBytes);
    }

    /// <summary>Position of the run in insertion order: a larger age holds later writes.</summary>
    public int Age { get; }

    public ReadOnlySpan<byte> Key => _buffer.AsSpan(_start + EtlRunWriter.HeaderBytes, _keyLength);

    public ReadOnlySpan<byte> Value => _buffer.AsSpan(_start + EtlRunWriter.HeaderBytes + _keyLength, _valueLength);

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    public bool MoveNext()
    {
        if (_positioned) _start += EtlRunWriter.HeaderBytes + _keyLength + _valueLength;
        _positioned = false;
        if (!Ensure(EtlRunWriter.HeaderBytes))
        {
            if (_end - _start != 0) throw Corrupt("a truncated record header");
            return false;
        }
        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, EtlRunWriter.HeaderBytes);
        _keyLength = BinaryPrimitives.ReadInt32BigEndian(header);
        _valueLength = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (_keyLength < 0 || _valueLength < 0 || (long)_keyLength + _valueLength > _maxEntryBytes)
            throw Corrupt("an impossible record length");
        if (!Ensure(EtlRunWriter.HeaderBytes + _keyLength + _valueLength)) throw Corrupt("a truncated record");
        _positioned = true;
        return true;
    }

    public void Dispose()
    {
        _file.Dispose();
        _buffers.Return(_buffer);
        _buffer = null;
    }

    // Makes at least `count` bytes (≤ the buffer size) available from _start, compacting and refilling the buffer.
    private bool Ensure(int count)
    {
        if (_end - _start >= count) return true;
        byte[] buffer = _buffer!;
        int pending = _end - _start;
        if (_start > 0) buffer.AsSpan(_start, pending).CopyTo(buffer);
        _start = 0;
        _end = pending;
        while (_end < count)
        {
            int read = _file.Read(buffer, _end, buffer.Length - _end);
            if (read == 0) return false;
            _end += read;
        }
        return true;
    }

    private StorageException Corrupt(string what) => new($"ETL run file '{_path}' holds {what}; the temporary file was damaged.");
}
