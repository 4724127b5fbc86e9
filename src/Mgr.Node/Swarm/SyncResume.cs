using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>What a restarted leecher already holds, read back from its store when it takes up its first epoch:
/// account ranges at the epoch's root (held), ranges at older recorded roots within the diff window (rollable from
/// their epoch), the external-storage progress of the accounts in those ranges, and the code they still lack.</summary>
/// <remarks>Walks the held accounts once (bounded by the store, run once per process start). An account whose storage
/// root is not empty is external when storage-progress records exist for it or none of its slots is stored; otherwise
/// its storage came inline with its chunk and is complete. Records at another storage root than the account's are
/// ignored (that part is pulled again).</remarks>
internal sealed record SyncResume(KeyRangeSet Held, IReadOnlyList<(EpochAnchor From, KeyRangeSet Ranges)> Rollable,
    IReadOnlyDictionary<Hash256, StorageProgress> Storage, IReadOnlySet<Hash256> MissingCodes)
{
    /// <summary>Reads what <paramref name="store"/> holds, as seen from epoch <paramref name="current"/>.</summary>
    public static SyncResume Read(IKeyValueReader store, EpochAnchor current)
    {
        var held = new List<KeyRange>();
        var rollable = new List<(EpochAnchor, KeyRangeSet)>();
        var storage = new Dictionary<Hash256, StorageProgress>();
        var missingCodes = new HashSet<Hash256>();
        foreach ((Hash256 root, IReadOnlyList<KeyInterval> intervals) in SyncProgressStore.ReadAll(store))
        {
            EpochAnchor anchor;
            if (root == current.StateRoot) anchor = current;
            else if (EpochAnchorStore.TryRead(store, root, out ulong epoch, out Hash256 boundary)
                     && epoch < current.Number && epoch + Limits.DiffWindowEpochs >= current.Number)
                anchor = new EpochAnchor(epoch, boundary, root);
            else continue;
            KeyRange[] ranges = [.. intervals.Select(static interval => new KeyRange(interval.Start, interval.End))];
            if (anchor == current) held.AddRange(ranges);
            else rollable.Add((anchor, KeyRangeSet.From(ranges)));
            foreach (KeyRange range in ranges) ReadAccounts(store, range, anchor, current, storage, missingCodes);
        }
        return new SyncResume(KeyRangeSet.From(held), rollable, storage, missingCodes);
    }

    private static void ReadAccounts(IKeyValueReader store, KeyRange range, EpochAnchor anchor, EpochAnchor current,
                                     Dictionary<Hash256, StorageProgress> storage, HashSet<Hash256> missingCodes)
    {
        Span<byte> lower = stackalloc byte[Hash256.Length];
        Span<byte> upper = stackalloc byte[Hash256.Length + 1];
        range.Start.CopyTo(lower);
        range.End.CopyTo(upper);
        upper[Hash256.Length] = 0;
        using IRangeCursor cursor = store.Iterate(Schema.Accounts, lower, upper);
        while (cursor.MoveNext())
        {
            var account = new Hash256(cursor.Key);
            (Hash256 storageRoot, Hash256 codeHash) = AccountValue.Read(cursor.Value);
            if (anchor == current && codeHash != Hash256.EmptyKeccak && !LeecherStore.HasCode(store, codeHash)) missingCodes.Add(codeHash);
            if (storageRoot == Hash256.EmptyTrieRoot) continue;
            KeyRangeSet recorded = StorageProgressStore.Read(store, account, storageRoot);
            if (recorded.IsEmpty && HasSlots(store, account)) continue; // inline storage, complete with its chunk
            var progress = new StorageProgress(storageRoot) { ConfirmedAt = anchor };
            if (anchor == current) progress.Held = recorded;
            else progress.Unconfirmed = recorded;
            storage[account] = progress;
        }
    }

    private static bool HasSlots(IKeyValueReader store, Hash256 account)
    {
        Span<byte> lower = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> upper = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Schema.WriteStorageSlotKey(account, Hash256.Zero, lower);
        Schema.WriteStorageSlotKey(account, Hash256.MaxValue, upper);
        upper[^1] = 0;
        using IRangeCursor cursor = store.Iterate(Schema.StorageSlots, lower, upper);
        return cursor.MoveNext();
    }
}
