using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Mgr.Node.Storage.RocksDb;

/// <summary>
/// <see cref="ISortedLoad"/> that writes SST files directly (no memtable, no WAL, no compaction of random inserts)
/// and ingests them all at once at <see cref="Complete"/>, so the load becomes visible atomically. The files live
/// in a scratch folder inside the database directory (ingestion then only renames them) and are deleted if the
/// load is disposed without completing.
/// </summary>
/// <remarks>Building SST blocks (encoding, compression, checksums, filters) costs as much as producing the sorted
/// stream, so it runs on a writer thread: <see cref="Add"/> packs entries into pooled blocks handed over through
/// a queue of at most <see cref="QueuedBlocks"/> (memory: at most QueuedBlocks + 2 blocks of <see cref="BlockBytes"/>).
/// A writer failure surfaces as the original exception on the next Add or Complete.</remarks>
internal sealed class RocksDbSortedLoad : ISortedLoad
{
    /// <summary>Folder inside the database directory holding loads in progress; left-overs of a crash are
    /// deleted when the store is next opened.</summary>
    public const string ScratchFolderName = "sorted-load";

    /// <summary>Target SST file size: large enough to keep the file count low, small enough that one file's index
    /// and filter blocks stay small.</summary>
    private const long FileBytes = 64L << 20;

    private const int BlockBytes = 4 << 20;
    private const int QueuedBlocks = 2;
    private const int RecordHeaderBytes = 8;

    private readonly RocksDatabase _database;
    private readonly RocksColumnFamily _family;
    private readonly string _folder;
    private readonly List<string> _files = [];
    private readonly AscendingKeyCheck _order = new();
    private readonly BlockingCollection<(byte[] Block, int Length)> _queue = new(QueuedBlocks);
    private readonly Thread _writerThread;
    private byte[]? _block;
    private int _blockUsed;
    private volatile ExceptionDispatchInfo? _failure;
    private RocksSstFileWriter? _writer;
    private long _writerBytes;
    private bool _done;
    private bool _disposed;

    public RocksDbSortedLoad(RocksDatabase database, RocksColumnFamily family)
    {
        _database = database;
        _family = family;
        _folder = System.IO.Path.Combine(database.Path, ScratchFolderName, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _writerThread = new Thread(WriteBlocks) { IsBackground = true, Name = "rocksdb-sorted-load" };
        _writerThread.Start();
    }

    public long Count { get; private set; }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_done) throw new InvalidOperationException("This sorted load has already completed.");
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        _order.Next(key);
        int length = RecordHeaderBytes + key.Length + value.Length;
        if (_block is not null && length > _block.Length - _blockUsed) HandOver();
        _block ??= ArrayPool<byte>.Shared.Rent(Math.Max(BlockBytes, length));
        Span<byte> record = _block.AsSpan(_blockUsed, length);
        BinaryPrimitives.WriteInt32LittleEndian(record, key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], value.Length);
        key.CopyTo(record[RecordHeaderBytes..]);
        value.CopyTo(record[(RecordHeaderBytes + key.Length)..]);
        _blockUsed += length;
        Count++;
    }

    public void Complete()
    {
        if (_done) throw new InvalidOperationException("This sorted load has already completed.");
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_block is not null) HandOver();
        StopWriter();
        _failure?.Throw();
        FinishFile();
        _database.IngestFiles(_family, _files);
        _done = true;
        DeleteFolder();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StopWriter();
        if (_block is not null) ArrayPool<byte>.Shared.Return(_block);
        _block = null;
        _writer?.Dispose();
        _writer = null;
        _queue.Dispose();
        DeleteFolder();
    }

    private void HandOver()
    {
        _queue.Add((_block!, _blockUsed)); // blocks while the writer is QueuedBlocks behind
        _block = null;
        _blockUsed = 0;
    }

    private void StopWriter()
    {
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        _writerThread.Join();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "Any writer failure is handed to the caller's thread, which rethrows it.")]
    private void WriteBlocks()
    {
        foreach ((byte[] block, int length) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null) WriteBlock(block.AsSpan(0, length));
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(block);
            }
        }
    }

    private void WriteBlock(ReadOnlySpan<byte> block)
    {
        while (!block.IsEmpty)
        {
            int keyLength = BinaryPrimitives.ReadInt32LittleEndian(block);
            int valueLength = BinaryPrimitives.ReadInt32LittleEndian(block[4..]);
            ReadOnlySpan<byte> key = block.Slice(RecordHeaderBytes, keyLength);
            ReadOnlySpan<byte> value = block.Slice(RecordHeaderBytes + keyLength, valueLength);
            if (_writer is null)
            {
                string path = System.IO.Path.Combine(_folder, $"{_files.Count:D6}.sst");
                _writer = _database.CreateSstFileWriter(path);
                _files.Add(path);
                _writerBytes = 0;
            }
            _writer.Put(key, value);
            _writerBytes += keyLength + valueLength;
            if (_writerBytes >= FileBytes) FinishFile();
            block = block[(RecordHeaderBytes + keyLength + valueLength)..];
        }
    }

    private void FinishFile()
    {
        if (_writer is null) return;
        _writer.Finish();
        _writer.Dispose();
        _writer = null;
    }

    private void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
