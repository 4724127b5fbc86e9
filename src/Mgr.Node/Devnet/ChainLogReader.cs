using System.Buffers;
using System.Buffers.Binary;
using Mgr.Node.State;
using Mgr.Trie.Crypto;
using Mgr.Trie.Headers;
using Mgr.Trie.Rlp;

namespace Mgr.Node.Devnet;

/// <summary>Reads chain-log records (format in <see cref="ChainLog"/>) one at a time from a position, for tailing a log
/// another process appends to: an incomplete record is reported and the position stays put, so a later call retries.</summary>
/// <remarks>Does not own the stream unless created by <see cref="OpenFile"/>. Not thread-safe.</remarks>
public sealed class ChainLogReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _path;
    private readonly bool _owns;
    private bool _magicChecked;

    /// <summary>Reads from <paramref name="stream"/> (seekable) starting at its beginning.</summary>
    public ChainLogReader(Stream stream, string path) : this(stream, path, owns: false) { }

    private ChainLogReader(Stream stream, string path, bool owns)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _path = path;
        _owns = owns;
    }

    /// <summary>Opens the log file at <paramref name="path"/> for reading while another process may append.</summary>
    public static ChainLogReader OpenFile(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16), path, owns: true);

    /// <summary>Byte offset of the next record.</summary>
    public long Position { get; private set; }

    /// <summary>After <see cref="ChainLogReadResult.Corrupt"/>: the offset just past the bad record.</summary>
    public long CorruptRecordEnd { get; private set; }

    /// <summary>Reads the next record; on anything but <see cref="ChainLogReadResult.Block"/> the position is unchanged.</summary>
    /// <exception cref="DevnetException">When the file does not start with the chain-log magic.</exception>
    public ChainLogReadResult TryRead(out DevnetBlock? block)
    {
        block = null;
        long length = _stream.Length;
        if (!_magicChecked)
        {
            if (length < ChainLog.Magic.Length) return length == 0 ? ChainLogReadResult.End : ChainLogReadResult.Incomplete;
            Span<byte> magic = stackalloc byte[8];
            _stream.Seek(0, SeekOrigin.Begin);
            _stream.ReadExactly(magic);
            if (!magic.SequenceEqual(ChainLog.Magic)) throw new DevnetException($"{_path} is not a chain log (wrong magic).");
            _magicChecked = true;
            Position = ChainLog.Magic.Length;
        }
        long available = length - Position;
        if (available == 0) return ChainLogReadResult.End;
        if (available < ChainLog.RecordHeaderBytes) return ChainLogReadResult.Incomplete;
        Span<byte> prefix = stackalloc byte[ChainLog.RecordHeaderBytes];
        _stream.Seek(Position, SeekOrigin.Begin);
        _stream.ReadExactly(prefix);
        int payloadLength = BinaryPrimitives.ReadInt32BigEndian(prefix);
        long recordLength = ChainLog.RecordHeaderBytes + (long)payloadLength + ChainLog.ChecksumBytes;
        if (payloadLength <= 0 || payloadLength > ChainLog.MaxPayloadBytes)
        {
            // An impossible length gives no record end: only the end of the file bounds it.
            CorruptRecordEnd = length;
            return ChainLogReadResult.Corrupt;
        }
        if (available < recordLength) return ChainLogReadResult.Incomplete;

        byte[] buffer = ArrayPool<byte>.Shared.Rent(payloadLength + ChainLog.ChecksumBytes);
        try
        {
            Span<byte> record = buffer.AsSpan(0, payloadLength + ChainLog.ChecksumBytes);
            _stream.ReadExactly(record);
            CorruptRecordEnd = Position + recordLength;
            ReadOnlySpan<byte> payload = record[..payloadLength];
            Span<byte> hash = stackalloc byte[32];
            Keccak256.Hash(payload, hash);
            if (!hash[..ChainLog.ChecksumBytes].SequenceEqual(record[payloadLength..])) return ChainLogReadResult.Corrupt;
            if (!TryDecode(payload, out block)) return ChainLogReadResult.Corrupt;
            Position += recordLength;
            return ChainLogReadResult.Block;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes a record's payload <c>[header, stateDiff]</c>; false when malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out DevnetBlock? block)
    {
        block = null;
        try
        {
            var outer = new RlpReader(payload);
            RlpReader list = outer.ReadList();
            outer.EnsureEnd();
            BlockHeader header = BlockHeader.Decode(list.ReadEncodedItem());
            StateDiff diff = StateDiff.Decode(list.ReadEncodedItem());
            list.EnsureEnd();
            block = new DevnetBlock(header, diff);
            return true;
        }
        catch (Exception e) when (e is RlpException or HeaderDecodeException or StateDiffException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_owns) _stream.Dispose();
    }
}
