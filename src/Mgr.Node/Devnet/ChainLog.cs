using System.Buffers.Binary;
using Mgr.Node.State;
using Mgr.Trie.Crypto;
using Mgr.Trie.Headers;
using Mgr.Trie.Rlp;

namespace Mgr.Node.Devnet;

/// <summary>The devnet's append-only chain log (<c>&lt;datadir&gt;/chain.log</c>): blocks 1, 2, 3… each as one record
/// <c>length (4, big-endian) ‖ payload ‖ checksum (8)</c>, where payload is the RLP list <c>[header, stateDiff]</c> and
/// checksum is the first 8 bytes of Keccak-256(payload). The file starts with the 8-byte magic <c>MGRCLOG1</c>.</summary>
/// <remarks>
/// <para>Opening scans every record (checksums, strict decoding, numbers and parent hashes consecutive). An incomplete
/// last record, or a last record whose checksum fails — what a crash in the middle of an append leaves — is truncated
/// away (<see cref="TruncatedBytes"/>). A bad record followed by more data is corruption, not a torn tail:
/// <see cref="DevnetException"/>, and the file is left alone.</para>
/// <para><see cref="Append"/> writes a record and fsyncs before returning. One writer per file (the producer); readers
/// in other processes use <see cref="ChainLogReader"/>. Not thread-safe.</para>
/// </remarks>
public sealed class ChainLog : IDisposable
{
    /// <summary>File magic and format version.</summary>
    public static ReadOnlySpan<byte> Magic => "MGRCLOG1"u8;

    /// <summary>Bytes before a record's payload (its length).</summary>
    public const int RecordHeaderBytes = 4;

    /// <summary>Bytes after a record's payload (its checksum).</summary>
    public const int ChecksumBytes = 8;

    /// <summary>Largest payload: a header plus the largest state diff.</summary>
    public const int MaxPayloadBytes = StateDiff.MaxEncodedBytes + 4096;

    private readonly FileStream _file;
    private BlockHeader? _head;

    private ChainLog(FileStream file, BlockHeader? head, long blockCount, long truncatedBytes)
    {
        _file = file;
        _head = head;
        BlockCount = blockCount;
        TruncatedBytes = truncatedBytes;
    }

    /// <summary>The last block's header, or null for an empty log.</summary>
    public BlockHeader? Head => _head;

    /// <summary>Number of records (blocks) in the log.</summary>
    public long BlockCount { get; private set; }

    /// <summary>Bytes of a torn tail removed when the log was opened (0 normally).</summary>
    public long TruncatedBytes { get; }

    /// <summary>Opens (creating if missing) the log at <paramref name="path"/>, verifying every record and truncating a
    /// torn tail; <paramref name="onBlock"/> sees each stored block in order (e.g. to catch a store up).</summary>
    /// <exception cref="DevnetException">On a wrong magic, corruption before the tail, or broken linkage.</exception>
    public static ChainLog Open(string path, Action<DevnetBlock>? onBlock = null)
    {
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        try
        {
            if (file.Length < Magic.Length)
            {
                // Empty, or a crash while writing the magic: start over (anything else is not our file).
                Span<byte> start = stackalloc byte[Magic.Length];
                int read = file.Read(start);
                if (!Magic.StartsWith(start[..read])) throw new DevnetException($"{path} is not a chain log (wrong magic).");
                file.SetLength(0);
                file.Write(Magic);
                file.Flush(flushToDisk: true);
            }
            var reader = new ChainLogReader(file, path);
            BlockHeader? head = null;
            long count = 0;
            while (true)
            {
                long start = reader.Position;
                ChainLogReadResult result = reader.TryRead(out DevnetBlock? block);
                if (result == ChainLogReadResult.Block)
                {
                    CheckLink(path, head, block!.Header);
                    head = block.Header;
                    count++;
                    onBlock?.Invoke(block);
                    continue;
                }
                if (result == ChainLogReadResult.End) break;
                // Incomplete or failing record: a torn tail if nothing follows it, else corruption.
                if (result == ChainLogReadResult.Corrupt && reader.CorruptRecordEnd < file.Length)
                    throw new DevnetException($"Chain log {path} is corrupt at byte {start} (record {count + 1}), with data after it.");
                long truncated = file.Length - start;
                file.SetLength(start);
                file.Flush(flushToDisk: true);
                file.Seek(0, SeekOrigin.End);
                return new ChainLog(file, head, count, truncated);
            }
            file.Seek(0, SeekOrigin.End);
            return new ChainLog(file, head, count, 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends <paramref name="block"/> (the next block after <see cref="Head"/>) and fsyncs.</summary>
    /// <exception cref="ArgumentException">When the block does not extend the head.</exception>
    public void Append(DevnetBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        try
        {
            CheckLink("(append)", _head, block.Header);
        }
        catch (DevnetException e)
        {
            throw new ArgumentException(e.Message, nameof(block), e);
        }
        byte[] record = Encode(block);
        _file.Write(record);
        _file.Flush(flushToDisk: true);
        _head = block.Header;
        BlockCount++;
    }

    /// <summary>One block as a chain-log record (length ‖ payload ‖ checksum).</summary>
    public static byte[] Encode(DevnetBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int headerLength = block.Header.EncodedLength, diffLength = block.Diff.EncodedLength;
        int payloadLength = Rlp.LengthOfList(headerLength + diffLength);
        var record = new byte[RecordHeaderBytes + payloadLength + ChecksumBytes];
        BinaryPrimitives.WriteInt32BigEndian(record, payloadLength);
        Span<byte> payload = record.AsSpan(RecordHeaderBytes, payloadLength);
        var writer = new RlpWriter(payload);
        writer.WriteListHeader(headerLength + diffLength);
        int offset = writer.Written;
        offset += block.Header.WriteTo(payload[offset..]);
        block.Diff.WriteTo(payload[offset..]);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(payload, hash);
        hash[..ChecksumBytes].CopyTo(record.AsSpan(RecordHeaderBytes + payloadLength));
        return record;
    }

    public void Dispose() => _file.Dispose();

    private static void CheckLink(string path, BlockHeader? previous, BlockHeader header)
    {
        ulong expected = previous is null ? 1 : previous.Number + 1;
        if (header.Number != expected)
            throw new DevnetException($"Chain log {path}: block {header.Number} follows block {expected - 1}.");
        if (previous is not null && header.ParentHash != previous.Hash)
            throw new DevnetException($"Chain log {path}: block {header.Number}'s parent hash {header.ParentHash} is not block {previous.Number}'s hash {previous.Hash}.");
    }
}
