using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>
/// Which account-key intervals of the flat state are held, and for which state root (<see cref="Schema.SyncProgress"/>).
/// Invariants kept by <see cref="MarkHeld"/>: one root's intervals are disjoint and never adjacent (they are
/// merged), and a key is claimed by at most one root (the flat state holds one value per key).
/// </summary>
/// <remarks>Writers must be serialised (one sync loop owns progress): <see cref="MarkHeld"/> reads the committed
/// progress and writes its update into a batch, so two interleaved batches could lose an update.</remarks>
public static class SyncProgressStore
{
    /// <summary>All roots and their intervals, each list in ascending order.</summary>
    public static IReadOnlyDictionary<Hash256, IReadOnlyList<KeyInterval>> ReadAll(IKeyValueReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = new Dictionary<Hash256, List<KeyInterval>>();
        foreach ((Hash256 root, KeyInterval interval) in ReadEntries(reader))
        {
            if (!result.TryGetValue(root, out List<KeyInterval>? list)) result[root] = list = [];
            list.Add(interval);
        }
        return result.ToDictionary(entry => entry.Key, entry => (IReadOnlyList<KeyInterval>)entry.Value);
    }

    /// <summary>The intervals held for <paramref name="root"/>, in ascending order.</summary>
    public static IReadOnlyList<KeyInterval> Read(IKeyValueReader reader, Hash256 root)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> lower = stackalloc byte[Schema.ProgressKeyLength];
        Span<byte> upper = stackalloc byte[Schema.ProgressKeyLength + 1];
        Schema.WriteProgressKey(root, Hash256.Zero, lower);
        Schema.WriteProgressKey(root, Hash256.MaxValue, upper);
        upper[^1] = 0; // root ‖ ff…ff ‖ 00 is just past every key of this root
        var result = new List<KeyInterval>();
        using IRangeCursor cursor = reader.Iterate(Schema.SyncProgress, lower, upper);
        while (cursor.MoveNext()) result.Add(Decode(cursor.Key, cursor.Value).Interval);
        return result;
    }

    /// <summary>True if a single interval held for <paramref name="root"/> covers all of <paramref name="interval"/>.</summary>
    public static bool IsHeld(IKeyValueReader reader, Hash256 root, KeyInterval interval)
        => Read(reader, root).Any(held => held.Start <= interval.Start && held.End >= interval.End);

    /// <summary>
    /// Records in <paramref name="batch"/> that <paramref name="interval"/> is now held for <paramref name="root"/>:
    /// merges it with <paramref name="root"/>'s touching intervals and removes it from every other root's claims.
    /// The caller replaces the flat state of the interval in the same batch (see <see cref="ChunkStore"/>).
    /// </summary>
    public static void MarkHeld(IKeyValueReader reader, IWriteBatch batch, Hash256 root, KeyInterval interval)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(batch);
        Hash256 start = interval.Start, end = interval.End;
        // Streamed, not collected: a leecher's progress can be thousands of intervals, and this runs once per chunk.
        // The batch's writes do not disturb the cursor (it reads the committed store).
        using IRangeCursor cursor = reader.Iterate(Schema.SyncProgress, default, default);
        while (cursor.MoveNext())
        {
            (Hash256 owner, KeyInterval held) = Decode(cursor.Key, cursor.Value);
            if (owner == root)
            {
                if (!held.Touches(interval)) continue;
                Delete(batch, owner, held.Start);
                if (held.Start < start) start = held.Start;
                if (held.End > end) end = held.End;
            }
            else if (held.Overlaps(interval))
            {
                Delete(batch, owner, held.Start);
                if (held.Start < interval.Start) Put(batch, owner, new KeyInterval(held.Start, interval.Start.Decrement()));
                if (held.End > interval.End) Put(batch, owner, new KeyInterval(interval.End.Increment(), held.End));
            }
        }
        Put(batch, root, new KeyInterval(start, end));
    }

    /// <summary>Forgets every interval of <paramref name="root"/> (the caller deletes the flat state they covered).</summary>
    public static void Clear(IKeyValueReader reader, IWriteBatch batch, Hash256 root)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (KeyInterval held in Read(reader, root)) Delete(batch, root, held.Start);
    }

    private static List<(Hash256 Root, KeyInterval Interval)> ReadEntries(IKeyValueReader reader)
    {
        var entries = new List<(Hash256, KeyInterval)>();
        using IRangeCursor cursor = reader.Iterate(Schema.SyncProgress, default, default);
        while (cursor.MoveNext()) entries.Add(Decode(cursor.Key, cursor.Value));
        return entries;
    }

    private static (Hash256 Root, KeyInterval Interval) Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.Length != Schema.ProgressKeyLength || value.Length != Hash256.Length)
            throw new StorageException($"Corrupt sync-progress entry: key of {key.Length} bytes, value of {value.Length} bytes (expected {Schema.ProgressKeyLength} and {Hash256.Length}).");
        var start = new Hash256(key[Hash256.Length..]);
        var end = new Hash256(value);
        if (start > end) throw new StorageException($"Corrupt sync-progress entry: interval start {start} is after its end {end}.");
        return (new Hash256(key[..Hash256.Length]), new KeyInterval(start, end));
    }

    private static void Put(IWriteBatch batch, Hash256 root, KeyInterval interval)
    {
        Span<byte> key = stackalloc byte[Schema.ProgressKeyLength];
        Span<byte> value = stackalloc byte[Hash256.Length];
        Schema.WriteProgressKey(root, interval.Start, key);
        interval.End.CopyTo(value);
        batch.Put(Schema.SyncProgress, key, value);
    }

    private static void Delete(IWriteBatch batch, Hash256 root, Hash256 start)
    {
        Span<byte> key = stackalloc byte[Schema.ProgressKeyLength];
        Schema.WriteProgressKey(root, start, key);
        batch.Delete(Schema.SyncProgress, key);
    }
}
