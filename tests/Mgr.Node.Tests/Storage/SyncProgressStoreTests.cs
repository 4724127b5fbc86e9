using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using static Mgr.Node.Tests.Storage.KeyIntervals;

namespace Mgr.Node.Tests.Storage;

public sealed class SyncProgressStoreTests : IDisposable
{
    private static readonly Hash256 R1 = RootOf(1), R2 = RootOf(2);
    private readonly InMemoryKeyValueStore _store = new();

    public void Dispose() => _store.Dispose();

    private void Mark(Hash256 root, KeyInterval interval)
    {
        using IWriteBatch batch = _store.BeginBatch();
        SyncProgressStore.MarkHeld(_store, batch, root, interval);
        batch.Commit();
    }

    [Fact]
    public void Records_an_interval_for_a_root()
    {
        Mark(R1, Of(0x10, 0x1f));

        Assert.Equal([Of(0x10, 0x1f)], SyncProgressStore.Read(_store, R1));
        Assert.Empty(SyncProgressStore.Read(_store, R2));
    }

    [Fact]
    public void Merges_adjacent_intervals_of_one_root()
    {
        Mark(R1, Of(0x10, 0x1f));
        Mark(R1, Of(0x30, 0x3f));

        Mark(R1, Of(0x20, 0x2f));

        Assert.Equal([Of(0x10, 0x3f)], SyncProgressStore.Read(_store, R1));
    }

    [Fact]
    public void Keeps_separate_intervals_that_do_not_touch()
    {
        Mark(R1, Of(0x30, 0x3f));
        Mark(R1, Of(0x10, 0x1f));

        Assert.Equal([Of(0x10, 0x1f), Of(0x30, 0x3f)], SyncProgressStore.Read(_store, R1));
    }

    [Fact]
    public void Merges_an_overlapping_interval_of_the_same_root()
    {
        Mark(R1, Of(0x10, 0x2f));

        Mark(R1, Of(0x20, 0x3f));

        Assert.Equal([Of(0x10, 0x3f)], SyncProgressStore.Read(_store, R1));
    }

    [Fact]
    public void Takes_an_interval_away_from_another_root_splitting_its_claim()
    {
        Mark(R1, Of(0x00, 0xff));

        Mark(R2, Of(0x40, 0x7f));

        Assert.Equal([Of(0x00, 0x3f), Of(0x80, 0xff)], SyncProgressStore.Read(_store, R1));
        Assert.Equal([Of(0x40, 0x7f)], SyncProgressStore.Read(_store, R2));
    }

    [Fact]
    public void Handles_the_ends_of_the_key_space()
    {
        Mark(R1, KeyInterval.All);

        Mark(R2, new KeyInterval(Hash256.Zero, Hash256.Zero));
        Mark(R2, new KeyInterval(Hash256.MaxValue, Hash256.MaxValue));

        Assert.Equal([new KeyInterval(Hash256.Zero.Increment(), Hash256.MaxValue.Decrement())], SyncProgressStore.Read(_store, R1));
        Assert.Equal(2, SyncProgressStore.Read(_store, R2).Count);
        Assert.True(SyncProgressStore.IsHeld(_store, R1, Of(0x10, 0x20)));
        Assert.False(SyncProgressStore.IsHeld(_store, R1, KeyInterval.All));
    }

    [Fact]
    public void Reads_every_root()
    {
        Mark(R1, Of(0x00, 0x0f));
        Mark(R2, Of(0x10, 0x1f));

        IReadOnlyDictionary<Hash256, IReadOnlyList<KeyInterval>> all = SyncProgressStore.ReadAll(_store);

        Assert.Equal(2, all.Count);
        Assert.Equal([Of(0x10, 0x1f)], all[R2]);
    }

    [Fact]
    public void Clears_a_root()
    {
        Mark(R1, Of(0x00, 0x0f));
        Mark(R1, Of(0x20, 0x2f));

        using (IWriteBatch batch = _store.BeginBatch())
        {
            SyncProgressStore.Clear(_store, batch, R1);
            batch.Commit();
        }

        Assert.Empty(SyncProgressStore.ReadAll(_store));
    }

    [Fact]
    public void Rejects_a_corrupt_entry_with_a_storage_exception()
    {
        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Put(Schema.SyncProgress, new byte[64], new byte[5]);
            batch.Commit();
        }

        Assert.Throws<StorageException>(() => SyncProgressStore.ReadAll(_store));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Matches_a_per_key_model_after_random_marks(int seed)
    {
        var random = new Random(seed);
        var owner = new int[256]; // by first byte; 0 = not held
        for (int step = 0; step < 60; step++)
        {
            int root = random.Next(1, 4);
            int a = random.Next(256), b = random.Next(256);
            (int first, int last) = (Math.Min(a, b), Math.Max(a, b));
            Mark(RootOf((byte)root), Of((byte)first, (byte)last));
            for (int i = first; i <= last; i++) owner[i] = root;
        }

        for (int root = 1; root < 4; root++)
        {
            var expected = new List<KeyInterval>();
            for (int i = 0; i < 256; i++)
            {
                if (owner[i] != root) continue;
                int start = i;
                while (i + 1 < 256 && owner[i + 1] == root) i++;
                expected.Add(Of((byte)start, (byte)i));
            }
            Assert.Equal(expected, SyncProgressStore.Read(_store, RootOf((byte)root)));
        }
    }
}
