using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>What a leecher holds of its current epoch (spec/swarm.md §4–§5): the account keyspace verified at the
/// current root, the progress of every account with external storage, the account ranges held at older roots (to roll
/// forward) and the contract codes still missing. A restarted leecher takes it back from its store
/// (<see cref="SyncResume"/>).</summary>
/// <remarks>Not thread-safe: owned by the engine's loop.</remarks>
internal sealed class LeecherHoldings
{
    /// <summary>Account keys verified at the current root.</summary>
    public KeyRangeSet Accounts { get; private set; } = KeyRangeSet.Empty;

    /// <summary>Progress of each account with external storage, by account hash.</summary>
    public Dictionary<Hash256, StorageProgress> Storage { get; } = [];

    /// <summary>Account ranges held at older roots, rolled forward by diffs.</summary>
    public RollableAccounts Rollable { get; } = new();

    /// <summary>Code hashes named by verified accounts whose code is not in the store yet.</summary>
    public HashSet<Hash256> MissingCodes { get; } = [];

    /// <summary>True while some account range or storage range is still held at an older root.</summary>
    public bool AnythingToRoll => !Rollable.IsEmpty || Storage.Values.Any(static progress => progress.RollableFrom is not null && !progress.Rollable.IsEmpty);

    /// <summary>True when every account, every storage slot and every code is held: the state is ready to verify.</summary>
    public bool IsComplete => Accounts.IsFull && MissingCodes.Count == 0 && Storage.Values.All(static progress => progress.Held.IsFull);

    /// <summary>Accounts whose storage is not wholly held yet.</summary>
    public int IncompleteStorageCount => Storage.Values.Count(static progress => !progress.Held.IsFull);

    /// <summary>True when <paramref name="chunk"/> is held at the current root.</summary>
    public bool Holds(ChunkId chunk) => chunk.Account is { } account
        ? Storage.TryGetValue(account, out StorageProgress? progress) && progress.Held.Contains(chunk.Range)
        : Accounts.Contains(chunk.Range);

    /// <summary>True when <paramref name="chunk"/> can be served: held, and for storage, its account's leaf held too.</summary>
    public bool CanServe(ChunkId chunk) => Holds(chunk) && (chunk.Account is not { } account || Accounts.Contains(account));

    /// <summary>A new epoch began: everything held at the old root becomes rollable from <paramref name="previous"/>
    /// (older rollable ranges stay rollable from theirs, within the servers' diff window). Storage stays at its storage
    /// root until the account's leaf at the new epoch says whether that root changed.</summary>
    public void BeginEpoch(EpochAnchor? previous, EpochAnchor anchor)
    {
        if (previous is { } old) Rollable.Add(old, Accounts, anchor);
        Accounts = KeyRangeSet.Empty;
        foreach (StorageProgress progress in Storage.Values)
        {
            progress.Unconfirmed = progress.Unconfirmed.Union(progress.Held);
            progress.Held = KeyRangeSet.Empty;
            if (progress.RollableFrom is { } from && from.Number + Limits.DiffWindowEpochs < anchor.Number)
            {
                progress.Rollable = KeyRangeSet.Empty;
                progress.RollableFrom = null;
            }
        }
    }

    /// <summary>Takes back what a restarted leecher's store holds for <paramref name="anchor"/>.</summary>
    public void Resume(SyncResume resumed, EpochAnchor anchor)
    {
        Accounts = resumed.Held;
        foreach ((EpochAnchor from, KeyRangeSet ranges) in resumed.Rollable) Rollable.Add(from, ranges, anchor);
        foreach ((Hash256 account, StorageProgress progress) in resumed.Storage) Storage[account] = progress;
        MissingCodes.UnionWith(resumed.MissingCodes);
    }

    /// <summary>Verifies a chunk pulled or pushed for <paramref name="anchor"/> against its root and, when it verifies,
    /// commits it to <paramref name="store"/> atomically and holds it: an account chunk replaces what was known of the
    /// storage of the accounts it covers by what its leaves say. Null (nothing checked) for a storage chunk of an
    /// account whose leaf is not held.</summary>
    public ChunkCheck? Add(IKeyValueStore store, EpochAnchor anchor, StateData data)
    {
        StorageProgress? storage = null;
        if (data.Chunk.Account is { } account && (!Storage.TryGetValue(account, out storage) || !Accounts.Contains(account))) return null;
        ChunkCheck check = ChunkVerifier.Verify(data, anchor.StateRoot);
        if (!check.IsValid) return check;
        if (storage is not null)
        {
            LeecherStore.CommitStorage(store, data.Chunk, storage.Root, data.Slots, data.Proof);
            storage.AddPulled(data.Chunk);
            return check;
        }
        LeecherStore.CommitAccounts(store, anchor.StateRoot, data.Chunk, data.Accounts, data.Proof);
        foreach (Hash256 replaced in Storage.Keys.Where(data.Chunk.Range.Contains).ToList()) Storage.Remove(replaced);
        AddAccounts(data.Chunk.Range);
        Learn(store, anchor, data.Accounts, static entry => entry.Storage.IsEmpty && AccountValue.Read(entry.Value.Span).StorageRoot != Hash256.EmptyTrieRoot);
        return check;
    }

    /// <summary>Verifies a chunk of <paramref name="previous"/>, the epoch this leecher still announces while it moves to
    /// <paramref name="current"/>, and keeps it as rollable from <paramref name="previous"/> (committed at that root, to be
    /// rolled forward by a diff like anything else held there): an account chunk whose range is neither held nor
    /// rollable, or a storage chunk of an account whose leaf is known at <paramref name="previous"/> and not yet at the
    /// current epoch. Null (nothing checked) for any other chunk.</summary>
    public ChunkCheck? AddPrevious(IKeyValueStore store, EpochAnchor previous, EpochAnchor current, StateData data)
    {
        KeyRange range = data.Chunk.Range;
        if (data.Chunk.Account is { } account)
        {
            if (!Storage.TryGetValue(account, out StorageProgress? progress) || progress.ConfirmedAt != previous
                || progress.Unconfirmed.Overlaps(range) || progress.Held.Overlaps(range)) return null;
            ChunkCheck storageCheck = ChunkVerifier.Verify(data, previous.StateRoot);
            if (!storageCheck.IsValid) return storageCheck;
            LeecherStore.CommitStorage(store, data.Chunk, progress.Root, data.Slots, data.Proof);
            progress.Unconfirmed = progress.Unconfirmed.Union(KeyRangeSet.Of(range));
            return storageCheck;
        }
        if (Accounts.Overlaps(range) || Rollable.Overlaps(range)) return null;
        ChunkCheck check = ChunkVerifier.Verify(data, previous.StateRoot);
        if (!check.IsValid) return check;
        LeecherStore.CommitAccounts(store, previous.StateRoot, data.Chunk, data.Accounts, data.Proof);
        foreach (Hash256 replaced in Storage.Keys.Where(range.Contains).ToList()) Storage.Remove(replaced);
        Rollable.Add(previous, KeyRangeSet.Of(range), current);
        Learn(store, previous, data.Accounts, static entry => entry.Storage.IsEmpty && AccountValue.Read(entry.Value.Span).StorageRoot != Hash256.EmptyTrieRoot);
        return check;
    }

    /// <summary>An account range now held at the current root (pulled, or rolled forward by a verified diff): no
    /// longer rollable.</summary>
    public void AddAccounts(KeyRange range)
    {
        Accounts = Accounts.Union(KeyRangeSet.Of(range));
        Rollable.Remove(KeyRangeSet.Of(range));
    }

    /// <summary>Stops rolling <paramref name="chunk"/> forward: it is pulled afresh instead.</summary>
    public void StopRolling(ChunkId chunk)
    {
        if (chunk.Account is { } account)
        {
            if (Storage.TryGetValue(account, out StorageProgress? progress)) progress.Rollable = progress.Rollable.Except(KeyRangeSet.Of(chunk.Range));
            return;
        }
        Rollable.Remove(KeyRangeSet.Of(chunk.Range));
    }

    /// <summary>Learns external storage accounts and missing codes from verified account leaves at
    /// <paramref name="anchor"/>; <paramref name="isExternal"/> says which leaves have storage to fetch separately.</summary>
    public void Learn(IKeyValueStore store, EpochAnchor? anchor, IReadOnlyList<AccountEntry> accounts, Func<AccountEntry, bool> isExternal)
    {
        foreach (AccountEntry entry in accounts)
        {
            (Hash256 storageRoot, Hash256 codeHash) = AccountValue.Read(entry.Value.Span);
            if (codeHash != Hash256.EmptyKeccak && !LeecherStore.HasCode(store, codeHash)) MissingCodes.Add(codeHash);
            if (!isExternal(entry))
            {
                Storage.Remove(entry.AccountHash);
                continue;
            }
            if (Storage.TryGetValue(entry.AccountHash, out StorageProgress? progress))
            {
                if (progress.Root == storageRoot)
                {
                    progress.Held = progress.Held.Union(progress.Unconfirmed);
                    progress.Unconfirmed = KeyRangeSet.Empty;
                    progress.ConfirmedAt = anchor;
                    continue;
                }
                // The storage root changed: what is stored (at the old root) rolls forward from an epoch that had it.
                KeyRangeSet stored = progress.Held.Union(progress.Unconfirmed);
                Storage[entry.AccountHash] = new StorageProgress(storageRoot)
                {
                    ConfirmedAt = anchor, Depth = progress.Depth,
                    Rollable = progress.ConfirmedAt is null ? KeyRangeSet.Empty : stored, RollableFrom = progress.ConfirmedAt,
                };
                continue;
            }
            Storage[entry.AccountHash] = new StorageProgress(storageRoot) { ConfirmedAt = anchor };
        }
    }

    /// <summary>Produces the held chunks of <paramref name="anchor"/>, chunked at <paramref name="depth"/>, from this
    /// leecher's store (each was stored with its proof and its subtree as verification rebuilt it).</summary>
    public ChunkProducer ChunkProducer(IKeyValueStore store, EpochAnchor anchor, int depth)
    {
        IEnumerable<ExternalStorage> external = Storage.Where(static entry => !entry.Value.Held.IsEmpty)
                                                       .Select(static entry => new ExternalStorage(entry.Key, entry.Value.Root, 0, entry.Value.Depth));
        return new ChunkProducer(new TrieNodeStore(store), anchor, EpochIndex.OfKnown(anchor.StateRoot, depth, external));
    }

    /// <summary>The storage have-sets to announce in a Status: accounts in key order, at most as many as one may carry.</summary>
    public List<StorageHave> StorageHaves()
    {
        var haves = new List<StorageHave>();
        foreach ((Hash256 account, StorageProgress progress) in Storage.OrderBy(static entry => entry.Key))
        {
            if (progress.Held.IsEmpty) continue;
            if (haves.Count == Limits.MaxStorageHaveEntries) break;
            haves.Add(new StorageHave(account, progress.Held));
        }
        return haves;
    }

    /// <summary>Forgets everything (the state failed verification, or the node now holds the epoch itself).</summary>
    public void Clear()
    {
        Accounts = KeyRangeSet.Empty;
        Storage.Clear();
        Rollable.Clear();
        MissingCodes.Clear();
    }
}
