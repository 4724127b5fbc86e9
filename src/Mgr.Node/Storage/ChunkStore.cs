using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>
/// Writes verified state chunks so that data and progress always agree: a chunk's flat leaves, its trie nodes and
/// the <see cref="SyncProgressStore"/> record saying its interval is held at its root go into one batch. Whatever
/// the flat state held in that interval before (from another root, an earlier attempt or a bulk import) is
/// range-deleted in the same batch, so after a crash at any moment progress says exactly what is stored.
/// </summary>
/// <remarks>Single writer: commits read the committed progress, so one loop must own them.</remarks>
public static class ChunkStore
{
    /// <summary>Writes <paramref name="chunk"/> and commits it atomically.</summary>
    public static void Commit(IKeyValueStore store, VerifiedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(store);
        using IWriteBatch batch = store.BeginBatch();
        Write(store, batch, chunk);
        batch.Commit();
    }

    /// <summary>Adds <paramref name="chunk"/> and its progress record to <paramref name="batch"/>, reading the current
    /// progress from <paramref name="committed"/>. A chunk that breaks its own interval or order is an
    /// <see cref="ArgumentException"/>, raised before anything is added.</summary>
    public static void Write(IKeyValueReader committed, IWriteBatch batch, VerifiedChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(chunk);
        Validate(chunk);

        SyncProgressStore.MarkHeld(committed, batch, chunk.Root, chunk.Interval);
        // Always, not only when progress claimed part of the interval: entries written outside progress (a bulk
        // import, an older build) must not survive next to the chunk either.
        DeleteFlatState(batch, chunk.Interval);

        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        foreach (FlatLeaf leaf in chunk.Accounts)
        {
            leaf.Key.CopyTo(key);
            batch.Put(Schema.Accounts, key[..Hash256.Length], leaf.Value.Span);
        }
        foreach (StorageSlotLeaf slot in chunk.StorageSlots)
        {
            Schema.WriteStorageSlotKey(slot.Account, slot.Slot, key);
            batch.Put(Schema.StorageSlots, key, slot.Value.Span);
        }
        foreach (TrieNodeBlob node in chunk.Nodes) TrieNodeStore.Write(batch, node.Hash, node.Rlp.Span);
    }

    /// <summary>Adds deletes of every account and storage slot of the flat state in <paramref name="interval"/>.</summary>
    public static void DeleteFlatState(IWriteBatch batch, KeyInterval interval)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Account keys are 32 bytes, so end ‖ 00 (33 bytes) is the smallest key after end, even for end = ff…ff.
        Span<byte> start = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Span<byte> end = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        start.Clear();
        end.Clear();
        interval.Start.CopyTo(start);
        interval.End.CopyTo(end);
        batch.DeleteRange(Schema.Accounts, start[..Hash256.Length], end[..(Hash256.Length + 1)]);
        // Storage keys are account ‖ slot: [start ‖ 00…00, end ‖ ff…ff ‖ 00) covers every slot of those accounts.
        end[Hash256.Length..Schema.StorageSlotKeyLength].Fill(0xff);
        batch.DeleteRange(Schema.StorageSlots, start[..Schema.StorageSlotKeyLength], end);
        // The external-storage progress of those accounts goes with their slots (same key layout).
        batch.DeleteRange(Schema.StorageProgress, start[..Schema.StorageSlotKeyLength], end);
    }

    private static void Validate(VerifiedChunk chunk)
    {
        Hash256? previous = null;
        foreach (FlatLeaf leaf in chunk.Accounts)
        {
            if (!chunk.Interval.Contains(leaf.Key))
                throw new ArgumentException($"Account {leaf.Key} lies outside the chunk interval {chunk.Interval}.", nameof(chunk));
            if (previous is { } last && leaf.Key <= last)
                throw new ArgumentException($"Account {leaf.Key} is not after {last}: chunk leaves must be strictly ascending.", nameof(chunk));
            previous = leaf.Key;
        }
        foreach (StorageSlotLeaf slot in chunk.StorageSlots)
        {
            if (!chunk.Interval.Contains(slot.Account))
                throw new ArgumentException($"Storage of account {slot.Account} lies outside the chunk interval {chunk.Interval}.", nameof(chunk));
        }
    }
}
