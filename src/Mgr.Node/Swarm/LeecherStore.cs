using Mgr.Node.Storage;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Building;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Node.Swarm;

/// <summary>Writes verified chunks, rolled-forward chunks and code into the node's store, each atomically: flat
/// leaves for the final verification, and the trie nodes (proof path plus the rebuilt subtree) so the chunk can be
/// served to other peers at once.</summary>
/// <remarks>Single writer (the engine's loop), as <see cref="ChunkStore"/> requires.</remarks>
internal static class LeecherStore
{
    /// <summary>Commits a verified account chunk (leaves, inline storage, nodes, progress) in one batch. Committing
    /// replaces every slot of the chunk's accounts (and their storage-progress records); <paramref name="keptStorage"/>
    /// re-records the external storage ranges a rolled-forward chunk keeps (their slots come back in
    /// <paramref name="accounts"/>).</summary>
    public static void CommitAccounts(IKeyValueStore store, Hash256 root, ChunkId chunk, IReadOnlyList<AccountEntry> accounts,
                                      IReadOnlyList<ReadOnlyMemory<byte>> proof,
                                      IReadOnlyList<(Hash256 Account, Hash256 StorageRoot, KeyRangeSet Ranges)>? keptStorage = null)
    {
        var collector = new NodeCollector();
        collector.AddProof(proof);
        var leaves = new TrieLeaf[accounts.Count];
        var flat = new FlatLeaf[accounts.Count];
        var slots = new List<StorageSlotLeaf>();
        var storageTrie = new StackTrieBuilder(collector);
        for (int i = 0; i < accounts.Count; i++)
        {
            AccountEntry entry = accounts[i];
            flat[i] = new FlatLeaf(entry.AccountHash, entry.Value);
            leaves[i] = new TrieLeaf(entry.AccountHash, entry.Value);
            if (entry.Storage.IsEmpty) continue;
            foreach (SlotEntry slot in entry.Storage.Span)
            {
                slots.Add(new StorageSlotLeaf(entry.AccountHash, slot.SlotHash, slot.Value));
                storageTrie.Add(slot.SlotHash, slot.Value.Span);
            }
            storageTrie.Finish();
        }
        AddSubtree(collector, root, chunk, leaves, proof);
        using IWriteBatch batch = store.BeginBatch();
        ChunkStore.Write(store, batch, new VerifiedChunk(root, new KeyInterval(chunk.Range.Start, chunk.Range.End), flat, slots, collector.Nodes));
        foreach ((Hash256 account, Hash256 storageRoot, KeyRangeSet ranges) in keptStorage ?? [])
            foreach (KeyRange range in ranges.Intervals) StorageProgressStore.MarkHeld(batch, account, storageRoot, range);
        batch.Commit();
    }

    /// <summary>Replaces the slots of the storage chunk's account in its range with a verified storage chunk's slots
    /// (under <paramref name="storageRoot"/>), stores its nodes and records the range as held, in one batch.</summary>
    public static void CommitStorage(IKeyValueStore store, ChunkId chunk, Hash256 storageRoot, IReadOnlyList<SlotEntry> slots, IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        Hash256 account = chunk.Account ?? throw new ArgumentException("Not a storage chunk.", nameof(chunk));
        KeyRange range = chunk.Range;
        var collector = new NodeCollector();
        collector.AddProof(proof);
        AddSubtree(collector, storageRoot, chunk, [.. slots.Select(static slot => new TrieLeaf(slot.SlotHash, slot.Value))], proof);
        using IWriteBatch batch = store.BeginBatch();
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> end = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Schema.WriteStorageSlotKey(account, range.Start, key);
        Schema.WriteStorageSlotKey(account, range.End, end);
        end[Schema.StorageSlotKeyLength] = 0;
        batch.DeleteRange(Schema.StorageSlots, key, end);
        foreach (SlotEntry slot in slots)
        {
            Schema.WriteStorageSlotKey(account, slot.SlotHash, key);
            batch.Put(Schema.StorageSlots, key, slot.Value.Span);
        }
        foreach (TrieNodeBlob node in collector.Nodes) TrieNodeStore.Write(batch, node.Hash, node.Rlp.Span);
        StorageProgressStore.MarkHeld(batch, account, storageRoot, range);
        batch.Commit();
    }

    // Adds the chunk's subtree nodes as the trie holds them: rebuilt from the node the proof's path reaches under the
    // chunk's prefix (which may start above the prefix, or be an extension or a leaf), so the chunk can be produced
    // again from the store and served to other peers.
    private static void AddSubtree(NodeCollector collector, Hash256 root, ChunkId chunk, TrieLeaf[] leaves, IReadOnlyList<ReadOnlyMemory<byte>> proof)
    {
        byte[][] nodes = [.. proof.Select(static node => node.ToArray())];
        SubtreeProofError error = SubtreeProof.Verify(root, chunk.Prefix, leaves, nodes, collector);
        if (error != SubtreeProofError.None)
            throw new InvalidOperationException($"The verified chunk {chunk} does not rebuild under {root}: {error}.");
    }

    /// <summary>The flat account leaves stored in <paramref name="range"/>, ascending.</summary>
    public static List<TrieLeaf> ReadAccounts(IKeyValueReader store, KeyRange range)
    {
        Span<byte> lower = stackalloc byte[Hash256.Length];
        Span<byte> upper = stackalloc byte[Hash256.Length + 1];
        range.Start.CopyTo(lower);
        range.End.CopyTo(upper);
        upper[Hash256.Length] = 0;
        var leaves = new List<TrieLeaf>();
        using IRangeCursor cursor = store.Iterate(Schema.Accounts, lower, upper);
        while (cursor.MoveNext()) leaves.Add(new TrieLeaf(new Hash256(cursor.Key), cursor.Value.ToArray()));
        return leaves;
    }

    /// <summary>The flat slots of <paramref name="account"/> stored in <paramref name="range"/>, ascending.</summary>
    public static List<TrieLeaf> ReadSlots(IKeyValueReader store, Hash256 account, KeyRange range)
    {
        Span<byte> lower = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> upper = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Schema.WriteStorageSlotKey(account, range.Start, lower);
        Schema.WriteStorageSlotKey(account, range.End, upper);
        upper[Schema.StorageSlotKeyLength] = 0;
        var leaves = new List<TrieLeaf>();
        using IRangeCursor cursor = store.Iterate(Schema.StorageSlots, lower, upper);
        while (cursor.MoveNext()) leaves.Add(new TrieLeaf(new Hash256(cursor.Key[Hash256.Length..]), cursor.Value.ToArray()));
        return leaves;
    }

    /// <summary>Pairs the rolled-forward account leaves with the storage to keep: the diff's inline storage where it
    /// sent one, otherwise the slots already stored. An account is external at the new root when its storage is not
    /// empty, the diff sent no inline storage, and it was external before or its storage root changed (§4.7).</summary>
    public static RolledAccounts WithStorage(IKeyValueReader store, IReadOnlyList<TrieLeaf> before, IReadOnlyList<TrieLeaf> after,
                                             IReadOnlyList<AccountEntry> changes, Func<Hash256, bool> wasExternal)
    {
        var supplied = new Dictionary<Hash256, ReadOnlyMemory<SlotEntry>>();
        foreach (AccountEntry change in changes)
            if (!change.Storage.IsEmpty) supplied[change.AccountHash] = change.Storage;
        var oldRoots = new Dictionary<Hash256, Hash256>(before.Count);
        foreach (TrieLeaf leaf in before) oldRoots[leaf.Key] = AccountValue.Read(leaf.Value.Span).StorageRoot;
        var accounts = new AccountEntry[after.Count];
        var external = new HashSet<Hash256>();
        for (int i = 0; i < after.Count; i++)
        {
            TrieLeaf leaf = after[i];
            Hash256 root = AccountValue.Read(leaf.Value.Span).StorageRoot;
            if (supplied.TryGetValue(leaf.Key, out ReadOnlyMemory<SlotEntry> slots))
            {
                accounts[i] = new AccountEntry(leaf.Key, leaf.Value, slots);
                continue;
            }
            bool changed = !oldRoots.TryGetValue(leaf.Key, out Hash256 oldRoot) || oldRoot != root;
            if (root != Hash256.EmptyTrieRoot && (wasExternal(leaf.Key) || changed)) external.Add(leaf.Key);
            SlotEntry[] kept = root == Hash256.EmptyTrieRoot
                ? []
                : [.. ReadSlots(store, leaf.Key, Mgr.Protocol.Ranges.KeyRange.Full).Select(static slot => new SlotEntry(slot.Key, slot.Value))];
            accounts[i] = new AccountEntry(leaf.Key, leaf.Value, kept);
        }
        return new RolledAccounts(accounts, external);
    }

    /// <summary>Stores code blobs whose hash matches one of <paramref name="wanted"/>; returns the hashes stored.</summary>
    public static List<Hash256> CommitCodes(IKeyValueStore store, IReadOnlyList<ReadOnlyMemory<byte>> codes, ISet<Hash256> wanted)
    {
        var stored = new List<Hash256>();
        using IWriteBatch batch = store.BeginBatch();
        foreach (ReadOnlyMemory<byte> code in codes)
        {
            Hash256 hash = Mgr.Trie.Crypto.Keccak256.Compute(code.Span);
            if (!wanted.Contains(hash) || stored.Contains(hash)) continue;
            CodeStore.Write(batch, hash, code.Span);
            stored.Add(hash);
        }
        batch.Commit();
        return stored;
    }

    /// <summary>True when the store holds the code with <paramref name="codeHash"/>.</summary>
    public static bool HasCode(IKeyValueReader store, Hash256 codeHash)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        codeHash.CopyTo(key);
        return store.TryGet(Schema.Code, key, [], out _);
    }
}
