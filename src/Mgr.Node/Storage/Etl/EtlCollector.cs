using System.Buffers.Binary;
using Mgr.Trie.Building;

namespace Mgr.Node.Storage.Etl;

/// <summary>
/// Sorted bulk import ("ETL"): collects key/value entries in any order, sorts them in bounded-memory runs spilled
/// to temporary files, then k-way merges the runs into a store column in ascending key order through an
/// <see cref="ISortedLoad"/>, which cuts write amplification compared with random inserts.
/// </summary>
/// <remarks>
/// <para>Memory: every buffer is rented from the shared pool and accounted (<see cref="PeakBufferedBytes"/>); the
/// total stays below <see cref="BufferLimitBytes"/> whatever the input size — when there are more runs than can be
/// merged at once (at most <see cref="MaxMergeFanIn"/>), they are merged in several passes.</para>
/// <para>Duplicates: the last entry added for a key wins; earlier ones are dropped (deterministic).</para>
/// <para>Temporary files live in their own folder under the given directory and are deleted by
/// <see cref="Dispose"/>, also after a failure; <see cref="DeleteLeftovers"/> removes those of a crashed process.
/// Not thread-safe.</para>
/// </remarks>
public sealed class EtlCollector : IExternalSorter, IDisposable
{
    /// <summary>Most runs merged at once; more are merged in passes so read buffers stay bounded.</summary>
    public const int MaxMergeFanIn = 64;

    /// <summary>Smallest run read/write buffer.</summary>
    private const int MinRunBufferBytes = 64 << 10;

    /// <summary>Smallest buffer limit accepted.</summary>
    public const long MinBufferLimitBytes = 1 << 20;

    private const string FolderPrefix = "etl-";

    private readonly EtlBuffers _buffers = new();
    private readonly string _folder;
    private readonly List<string> _runs = [];
    private byte[]? _arena;
    private EtlIndexEntry[]? _index;
    private int _arenaUsed;
    private int _entries;
    private int _nextRunId;
    private bool _merged;
    private bool _disposed;

    /// <param name="temporaryDirectory">Where run files go (created if missing); best on the store's disk.</param>
    /// <param name="bufferLimitBytes">Memory for sorting, and for read buffers while merging.</param>
    public EtlCollector(string temporaryDirectory, long bufferLimitBytes = 256L << 20)
    {
        ArgumentException.ThrowIfNullOrEmpty(temporaryDirectory);
        if (bufferLimitBytes < MinBufferLimitBytes || bufferLimitBytes > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(bufferLimitBytes), bufferLimitBytes, $"The buffer limit must be between {MinBufferLimitBytes} bytes and 2 GiB.");
        BufferLimitBytes = bufferLimitBytes;
        _folder = Path.Combine(Path.GetFullPath(temporaryDirectory), FolderPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    public long BufferLimitBytes { get; }

    /// <summary>Entries added (duplicates included).</summary>
    public long Count { get; private set; }

    /// <summary>Sorted runs written to disk so far (including intermediate merge passes).</summary>
    public int SpilledRuns { get; private set; }

    /// <summary>Pooled bytes held right now.</summary>
    public long BufferedBytes => _buffers.HeldBytes;

    /// <summary>Most pooled bytes held at once since creation: the measured memory bound.</summary>
    public long PeakBufferedBytes => _buffers.PeakHeldBytes;

    /// <summary>The folder holding this collector's temporary files.</summary>
    public string TemporaryFolder => _folder;

    /// <summary>Largest key + value accepted in one entry (a record must fit a run buffer): about 1/256 of the
    /// buffer limit and at least 64 KiB, minus an 8-byte record header.</summary>
    public int MaxEntryBytes => RunBufferBytes - EtlRunWriter.HeaderBytes;

    /// <summary>Adds an entry; key and value are copied. An entry larger than <see cref="MaxEntryBytes"/> is an
    /// <see cref="ArgumentException"/>.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfUnusable();
        int length = EtlRunWriter.HeaderBytes + key.Length + value.Length;
        if (key.Length + value.Length > MaxEntryBytes)
            throw new ArgumentException($"An ETL entry of {key.Length + value.Length} bytes exceeds the {MaxEntryBytes}-byte limit of a {BufferLimitBytes}-byte buffer.", nameof(value));
        _arena ??= _buffers.RentBytes(ArenaBytes);
        _index ??= _buffers.RentIndex(IndexSlots);
        if (_arenaUsed + length > ArenaBytes || _entries == IndexSlots) Spill();

        Span<byte> record = _arena.AsSpan(_arenaUsed, length);
        BinaryPrimitives.WriteInt32BigEndian(record, key.Length);
        BinaryPrimitives.WriteInt32BigEndian(record[4..], value.Length);
        key.CopyTo(record[EtlRunWriter.HeaderBytes..]);
        value.CopyTo(record[(EtlRunWriter.HeaderBytes + key.Length)..]);
        _index![_entries++] = new EtlIndexEntry(EtlIndexEntry.PrefixOf(key), _arenaUsed);
        _arenaUsed += length;
        Count++;
    }

    /// <summary>Merges everything collected into <paramref name="load"/> in ascending key order (one entry per key,
    /// the last one added) and completes it. Returns the number of entries loaded. Runs once.</summary>
    public long MergeInto(ISortedLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        ThrowIfUnusable();
        _merged = true;
        long written;
        try
        {
            if (_runs.Count == 0)
            {
                written = WriteSortedMemory(load.Add);
            }
            else
            {
                if (_entries > 0) Spill();
                ReleaseMemory();
                while (_runs.Count > FanIn) MergeOldestRuns();
                written = MergeRuns(_runs, load.Add);
            }
            load.Complete();
        }
        finally
        {
            ReleaseMemory();
            DeleteFolder();
        }
        return written;
    }

    /// <summary>Hands everything collected to <paramref name="handler"/> in ascending key order (one entry per key, the
    /// last one added); runs once, as <see cref="MergeInto"/>.</summary>
    public void Drain(SortedEntryHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        MergeInto(new HandlerLoad(handler));
    }

    /// <summary>Bulk-loads everything collected into <paramref name="column"/> of <paramref name="store"/>.</summary>
    public long ImportInto(IKeyValueStore store, StoreColumn column)
    {
        ArgumentNullException.ThrowIfNull(store);
        using ISortedLoad load = store.BeginSortedLoad(column);
        return MergeInto(load);
    }

    /// <summary>Deletes the temporary folders a crashed process left in <paramref name="temporaryDirectory"/>.</summary>
    public static void DeleteLeftovers(string temporaryDirectory)
    {
        if (!Directory.Exists(temporaryDirectory)) return;
        foreach (string folder in Directory.EnumerateDirectories(temporaryDirectory, FolderPrefix + "*"))
            Directory.Delete(folder, recursive: true);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ReleaseMemory();
        DeleteFolder();
    }

    // Sizes are powers of two because the shared pool rounds requests up to one: with them, what is rented is
    // what was planned. Sorting holds arena + index + one run buffer (< limit); merging holds at most
    // FanIn + 1 run buffers (≤ limit / 2).
    private int ArenaBytes => FloorPowerOfTwo(BufferLimitBytes / 2);

    private int IndexSlots => FloorPowerOfTwo(BufferLimitBytes / 4) / 16; // entries are 12 bytes: ≤ limit / 4

    private int RunBufferBytes => Math.Max(MinRunBufferBytes, FloorPowerOfTwo(BufferLimitBytes / (2 * (MaxMergeFanIn + 1))));

    private int FanIn => (int)Math.Clamp(BufferLimitBytes / 2 / RunBufferBytes - 1, 2, MaxMergeFanIn);

    private static int FloorPowerOfTwo(long value) => (int)(1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value)));

    private delegate void EntrySink(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    private void Spill()
    {
        string path = NextRunPath();
        using (var writer = new EtlRunWriter(path, _buffers, RunBufferBytes))
        {
            WriteSortedMemory(writer.Write);
            writer.Complete();
        }
        _runs.Add(path);
        SpilledRuns++;
        _arenaUsed = 0;
        _entries = 0;
    }

    // Sorts the in-memory entries (by key, then insertion order) and emits the last entry of each key.
    private long WriteSortedMemory(EntrySink sink)
    {
        if (_entries == 0) return 0;
        Span<EtlIndexEntry> order = _index.AsSpan(0, _entries);
        order.Sort(new ArenaOrder(_arena!));
        long written = 0;
        for (int i = 0; i < order.Length; i++)
        {
            ReadOnlySpan<byte> key = KeyAt(order[i].Offset);
            if (i + 1 < order.Length && order[i].Prefix == order[i + 1].Prefix && key.SequenceEqual(KeyAt(order[i + 1].Offset))) continue; // a later write wins
            sink(key, ValueAt(order[i].Offset));
            written++;
        }
        return written;
    }

    private void MergeOldestRuns()
    {
        List<string> oldest = _runs.GetRange(0, FanIn);
        string path = NextRunPath();
        using (var writer = new EtlRunWriter(path, _buffers, RunBufferBytes))
        {
            MergeRuns(oldest, writer.Write);
            writer.Complete();
        }
        foreach (string run in oldest) File.Delete(run);
        _runs.RemoveRange(0, oldest.Count);
        _runs.Insert(0, path); // it holds the oldest writes, so it keeps their place in age order
        SpilledRuns++;
    }

    private long MergeRuns(List<string> runs, EntrySink sink)
    {
        var readers = new List<EtlRunReader>(runs.Count);
        try
        {
            var heap = new EtlRunHeap(runs.Count);
            for (int age = 0; age < runs.Count; age++)
            {
                var reader = new EtlRunReader(runs[age], age, _buffers, RunBufferBytes, MaxEntryBytes);
                readers.Add(reader);
                if (reader.MoveNext()) heap.Push(reader);
            }
            long written = 0;
            var sameKey = new List<EtlRunReader>(runs.Count);
            while (heap.Count > 0)
            {
                EtlRunReader newest = heap.Pop();
                sameKey.Add(newest);
                while (heap.Count > 0 && heap.Peek().Key.SequenceEqual(newest.Key))
                {
                    EtlRunReader other = heap.Pop();
                    sameKey.Add(other);
                    if (other.Age > newest.Age) newest = other;
                }
                sink(newest.Key, newest.Value);
                written++;
                foreach (EtlRunReader reader in sameKey)
                {
                    if (reader.MoveNext()) heap.Push(reader);
                }
                sameKey.Clear();
            }
            return written;
        }
        finally
        {
            foreach (EtlRunReader reader in readers) reader.Dispose();
        }
    }

    private ReadOnlySpan<byte> KeyAt(int offset)
    {
        int keyLength = BinaryPrimitives.ReadInt32BigEndian(_arena.AsSpan(offset));
        return _arena.AsSpan(offset + EtlRunWriter.HeaderBytes, keyLength);
    }

    private ReadOnlySpan<byte> ValueAt(int offset)
    {
        int keyLength = BinaryPrimitives.ReadInt32BigEndian(_arena.AsSpan(offset));
        int valueLength = BinaryPrimitives.ReadInt32BigEndian(_arena.AsSpan(offset + 4));
        return _arena.AsSpan(offset + EtlRunWriter.HeaderBytes + keyLength, valueLength);
    }

    private string NextRunPath() => Path.Combine(_folder, $"run-{_nextRunId++:D6}");

    private void ReleaseMemory()
    {
        _buffers.Return(_arena);
        _buffers.Return(_index);
        _arena = null;
        _index = null;
        _arenaUsed = 0;
        _entries = 0;
    }

    private void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private void ThrowIfUnusable()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(EtlCollector), "This ETL collector has been disposed.");
        if (_merged) throw new InvalidOperationException("This ETL collector has already been merged.");
    }

    // Feeds a merge to a handler instead of a store column.
    private sealed class HandlerLoad(SortedEntryHandler handler) : ISortedLoad
    {
        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            handler(key, value);
            Count++;
        }

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }

    // Orders entries by key (the 8-byte prefix decides most comparisons without touching the arena), then by
    // offset (= insertion order), so the last write of a key sorts last.
    private readonly struct ArenaOrder(byte[] arena) : IComparer<EtlIndexEntry>
    {
        public int Compare(EtlIndexEntry x, EtlIndexEntry y)
        {
            if (x.Prefix != y.Prefix) return x.Prefix < y.Prefix ? -1 : 1;
            int order = Key(x.Offset).SequenceCompareTo(Key(y.Offset));
            return order != 0 ? order : x.Offset.CompareTo(y.Offset);
        }

        private ReadOnlySpan<byte> Key(int offset)
            => arena.AsSpan(offset + EtlRunWriter.HeaderBytes, BinaryPrimitives.ReadInt32BigEndian(arena.AsSpan(offset)));
    }
}
