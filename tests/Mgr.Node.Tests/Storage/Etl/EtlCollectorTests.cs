using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;

namespace Mgr.Node.Tests.Storage.Etl;

public sealed class EtlCollectorTests : IDisposable
{
    private const long Limit = EtlCollector.MinBufferLimitBytes; // 1 MiB: small inputs already spill many runs
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>A sorted load that keeps what it receives and checks the order like the real ones.</summary>
    private sealed class RecordingLoad : ISortedLoad
    {
        public List<(byte[] Key, byte[] Value)> Entries { get; } = [];
        public bool Completed { get; private set; }
        public Action<int>? OnAdd { get; init; }
        public long Count => Entries.Count;

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            OnAdd?.Invoke(Entries.Count);
            if (Entries.Count > 0) Assert.True(key.SequenceCompareTo(Entries[^1].Key) > 0, "keys must arrive strictly ascending");
            Entries.Add((key.ToArray(), value.ToArray()));
        }

        public void Complete() => Completed = true;

        public void Dispose() { }
    }

    private static List<(byte[] Key, byte[] Value)> RandomEntries(int seed, int count, int distinctKeys)
    {
        var random = new Random(seed);
        var entries = new List<(byte[], byte[])>(count);
        for (int i = 0; i < count; i++)
        {
            byte[] key = new byte[32];
            new Random(random.Next(distinctKeys)).NextBytes(key); // keys repeat: duplicates
            byte[] value = new byte[random.Next(0, 120)];
            random.NextBytes(value);
            entries.Add((key, value));
        }
        return entries;
    }

    // Last write wins: the expected output is, per key, the value of its last occurrence, in key order.
    private static List<(byte[] Key, byte[] Value)> Expected(List<(byte[] Key, byte[] Value)> input)
    {
        var last = new Dictionary<string, (byte[], byte[])>();
        foreach ((byte[] key, byte[] value) in input) last[Convert.ToHexString(key)] = (key, value);
        return [.. last.Values.OrderBy(e => e.Item1, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))];
    }

    [Fact]
    public void Drain_hands_the_merged_output_to_a_handler_in_key_order()
    {
        List<(byte[] Key, byte[] Value)> input = RandomEntries(4, 40_000, 25_000);
        using var collector = new EtlCollector(_directory.Path, Limit);
        foreach ((byte[] key, byte[] value) in input) collector.Add(key, value);
        var drained = new List<(byte[] Key, byte[] Value)>();

        collector.Drain((key, value) => drained.Add((key.ToArray(), value.ToArray())));

        Assert.True(collector.SpilledRuns > 1);
        Assert.Equal(Expected(input).Select(e => (Convert.ToHexString(e.Key), Convert.ToHexString(e.Value))),
                     drained.Select(e => (Convert.ToHexString(e.Key), Convert.ToHexString(e.Value))));
    }

    [Theory]
    [InlineData(1, 500, 300)]
    [InlineData(2, 40_000, 25_000)]
    [InlineData(3, 40_000, 1_000_000)]
    public void Merged_output_is_the_input_sorted_with_the_last_write_of_each_key(int seed, int count, int distinctKeys)
    {
        List<(byte[] Key, byte[] Value)> input = RandomEntries(seed, count, distinctKeys);
        using var collector = new EtlCollector(_directory.Path, Limit);
        foreach ((byte[] key, byte[] value) in input) collector.Add(key, value);
        var load = new RecordingLoad();

        long written = collector.MergeInto(load);

        List<(byte[] Key, byte[] Value)> expected = Expected(input);
        Assert.True(load.Completed);
        Assert.Equal(expected.Count, written);
        Assert.Equal(expected.Select(e => Convert.ToHexString(e.Key)), load.Entries.Select(e => Convert.ToHexString(e.Key)));
        Assert.Equal(expected.Select(e => Convert.ToHexString(e.Value)), load.Entries.Select(e => Convert.ToHexString(e.Value)));
    }

    [Fact]
    public void Later_duplicates_win_within_a_run_and_across_runs()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);
        byte[] key = [7];
        collector.Add(key, [1]);
        collector.Add(key, [2]);
        for (int i = 0; i < 30_000; i++) collector.Add(BitConverter.GetBytes(i), new byte[32]); // forces spills between
        collector.Add(key, [3]);
        var load = new RecordingLoad();

        collector.MergeInto(load);

        Assert.True(collector.SpilledRuns > 1);
        Assert.Equal([3], load.Entries.Single(e => e.Key.SequenceEqual(key)).Value);
    }

    [Fact]
    public void Memory_stays_within_the_limit_for_input_many_times_larger()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);
        var random = new Random(5);
        byte[] key = new byte[32], value = new byte[100];
        long inputBytes = 0;
        for (int i = 0; i < 200_000; i++) // ~26 MB of input through a 1 MiB buffer
        {
            random.NextBytes(key);
            collector.Add(key, value);
            inputBytes += key.Length + value.Length;
        }
        var load = new RecordingLoad();

        collector.MergeInto(load);

        Assert.True(inputBytes > 20 * Limit);
        Assert.True(collector.SpilledRuns > EtlCollector.MaxMergeFanIn / 8, $"only {collector.SpilledRuns} runs"); // several merge passes at this limit
        Assert.InRange(collector.PeakBufferedBytes, 1, Limit);
        Assert.Equal(0, collector.BufferedBytes);
        Assert.Equal(200_000, load.Entries.Count);
    }

    [Fact]
    public void Temporary_files_are_removed_after_a_merge()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);
        for (int i = 0; i < 30_000; i++) collector.Add(BitConverter.GetBytes(i), new byte[40]);
        Assert.NotEmpty(Directory.EnumerateFiles(collector.TemporaryFolder));

        collector.MergeInto(new RecordingLoad());

        Assert.False(Directory.Exists(collector.TemporaryFolder));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Temporary_files_are_removed_when_the_merge_fails()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);
        for (int i = 0; i < 30_000; i++) collector.Add(BitConverter.GetBytes(i), new byte[40]);
        var failing = new RecordingLoad { OnAdd = n => { if (n == 1000) throw new IOException("disk went away"); } };

        Assert.Throws<IOException>(() => collector.MergeInto(failing));

        Assert.Equal(0, collector.BufferedBytes);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Temporary_files_are_removed_when_disposed_without_merging()
    {
        var collector = new EtlCollector(_directory.Path, Limit);
        for (int i = 0; i < 30_000; i++) collector.Add(BitConverter.GetBytes(i), new byte[40]);

        collector.Dispose();
        collector.Dispose();

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
        Assert.Equal(0, collector.BufferedBytes);
        Assert.Throws<ObjectDisposedException>(() => collector.Add([1], [1]));
    }

    [Fact]
    public void Leftovers_of_a_crashed_process_are_deleted()
    {
        var abandoned = new EtlCollector(_directory.Path, Limit);
        for (int i = 0; i < 30_000; i++) abandoned.Add(BitConverter.GetBytes(i), new byte[40]);
        File.WriteAllText(_directory.Combine("unrelated.txt"), "kept");

        EtlCollector.DeleteLeftovers(_directory.Path);

        Assert.False(Directory.Exists(abandoned.TemporaryFolder));
        Assert.True(File.Exists(_directory.Combine("unrelated.txt")));
    }

    [Fact]
    public void Rejects_an_entry_larger_than_a_run_buffer()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);

        Assert.Throws<ArgumentException>(() => collector.Add([1], new byte[collector.MaxEntryBytes]));
    }

    [Fact]
    public void Rejects_a_buffer_limit_below_the_minimum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EtlCollector(_directory.Path, 1000));
    }

    [Fact]
    public void Merges_only_once()
    {
        using var collector = new EtlCollector(_directory.Path, Limit);
        collector.Add([1], [1]);
        collector.MergeInto(new RecordingLoad());

        Assert.Throws<InvalidOperationException>(() => collector.MergeInto(new RecordingLoad()));
    }

    [Fact]
    public void Imports_into_a_rocksdb_store_column_in_full()
    {
        List<(byte[] Key, byte[] Value)> input = RandomEntries(9, 30_000, 20_000);
        using var store = Mgr.Node.Storage.RocksDb.RocksDbStore.Open(_directory.Combine("db"), RocksDb.RocksDbStoreTests.Small);
        using var collector = new EtlCollector(_directory.Combine("tmp"), Limit);
        foreach ((byte[] key, byte[] value) in input) collector.Add(key, value);

        collector.ImportInto(store, Schema.Accounts);

        List<(byte[] Key, byte[] Value)> expected = Expected(input);
        var actual = new List<string>();
        using IRangeCursor cursor = store.Iterate(Schema.Accounts, default, default);
        while (cursor.MoveNext()) actual.Add(Convert.ToHexString(cursor.Key) + ":" + Convert.ToHexString(cursor.Value));
        Assert.Equal(expected.Select(e => Convert.ToHexString(e.Key) + ":" + Convert.ToHexString(e.Value)), actual);
    }
}
