using Mgr.Node.Storage;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Tries;

namespace Mgr.Node.State;

/// <summary>Applies a <see cref="StateDiff"/> to the node's store: flat state (<see cref="Schema.Accounts"/>,
/// <see cref="Schema.StorageSlots"/>, <see cref="Schema.Code"/>) and hash-keyed trie nodes of the account trie and of
/// every touched storage trie, recomputing storage roots and the state root along the touched paths only.</summary>
/// <remarks>
/// <para>The result must equal the expected state root (a header's) before anything is committed: on a mismatch, or any
/// other refusal, a <see cref="StateApplyException"/> is thrown and nothing is written. Old trie nodes are never deleted,
/// so the roots of earlier blocks stay readable.</para>
/// <para>The parent state (trie nodes under <c>parentRoot</c>) must be in the store. Single writer: one caller at a time
/// per store.</para>
/// </remarks>
public static class StateApplier
{
    /// <summary>Applies <paramref name="diff"/> on top of <paramref name="parentRoot"/> and commits it in one batch,
    /// together with whatever <paramref name="alsoWrite"/> adds to the batch (e.g. the block's header).</summary>
    /// <exception cref="StateApplyException">When the diff is refused; nothing is written.</exception>
    public static void Apply(IKeyValueStore store, Hash256 parentRoot, StateDiff diff, Hash256 expectedRoot, Action<IWriteBatch>? alsoWrite = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        using IWriteBatch batch = store.BeginBatch();
        Write(store, batch, parentRoot, diff, expectedRoot);
        alsoWrite?.Invoke(batch);
        batch.Commit();
    }

    /// <summary>Adds the writes of <paramref name="diff"/> to <paramref name="batch"/> (reading the parent state from
    /// <paramref name="committed"/>) and returns the new state root, which equals <paramref name="expectedRoot"/>.</summary>
    /// <exception cref="StateApplyException">When the diff is refused; the batch then holds partial writes and must be
    /// disposed without committing.</exception>
    public static Hash256 Write(IKeyValueReader committed, IWriteBatch batch, Hash256 parentRoot, StateDiff diff, Hash256 expectedRoot)
    {
        Hash256 root = Compute(committed, batch, parentRoot, diff);
        if (root != expectedRoot)
            throw new StateApplyException(StateApplyError.RootMismatch, $"The diff leads to state root {root}, not the expected {expectedRoot}.", expectedRoot, root);
        return root;
    }

    /// <summary>Adds the writes of <paramref name="diff"/> to <paramref name="batch"/> and returns the resulting state
    /// root without checking it (for producers, which compute the root to put in their header).</summary>
    /// <exception cref="StateApplyException">For a missing account, code or parent state.</exception>
    public static Hash256 Compute(IKeyValueReader committed, IWriteBatch batch, Hash256 parentRoot, StateDiff diff)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(diff);
        try
        {
            return ComputeUnchecked(committed, batch, parentRoot, diff);
        }
        catch (TrieException e)
        {
            throw new StateApplyException(StateApplyError.MissingState, $"The parent state {parentRoot} is incomplete in the store: {e.Message}", innerException: e);
        }
    }

    private static Hash256 ComputeUnchecked(IKeyValueReader committed, IWriteBatch batch, Hash256 parentRoot, StateDiff diff)
    {
        var nodes = new TrieNodeStore(committed, batch);
        var accountTrie = new PatriciaTrie(nodes, parentRoot);
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        Span<byte> value = stackalloc byte[Account.MaxEncodedLength];
        Span<byte> slotValue = stackalloc byte[StorageSlot.MaxEncodedValueLength];

        foreach (CodeEntry entry in diff.Code) CodeStore.Write(batch, entry.Hash, entry.Code.Span);

        int storageIndex = 0;
        foreach (AccountChange change in diff.Accounts)
        {
            // Storage entries of accounts without an account change come first (ascending merge of both lists).
            while (storageIndex < diff.Storage.Count && diff.Storage[storageIndex].AddressHash.CompareTo(change.AddressHash) < 0)
            {
                ApplyStorageOnly(accountTrie, nodes, batch, diff.Storage[storageIndex++], key, value, slotValue);
            }
            change.AddressHash.CopyTo(key);
            if (change.IsDeleted)
            {
                accountTrie.Delete(key[..Hash256.Length]);
                batch.Delete(Schema.Accounts, key[..Hash256.Length]);
                DeleteFlatStorage(batch, change.AddressHash, key);
                continue;
            }
            if (change.CodeHash != Hash256.EmptyKeccak && !HasCode(committed, diff, change.CodeHash))
                throw new StateApplyException(StateApplyError.MissingCode, $"Account {change.AddressHash} names code {change.CodeHash}, which is neither stored nor in the diff.");
            Hash256 storageRoot = ReadAccount(accountTrie, change.AddressHash, key)?.StorageRoot ?? Hash256.EmptyTrieRoot;
            if (storageIndex < diff.Storage.Count && diff.Storage[storageIndex].AddressHash == change.AddressHash)
            {
                storageRoot = ApplySlots(nodes, batch, storageRoot, diff.Storage[storageIndex++], key, slotValue);
            }
            WriteAccount(accountTrie, batch, change.AddressHash, new Account(change.Nonce, change.Balance, storageRoot, change.CodeHash), key, value);
        }
        while (storageIndex < diff.Storage.Count)
        {
            ApplyStorageOnly(accountTrie, nodes, batch, diff.Storage[storageIndex++], key, value, slotValue);
        }
        return accountTrie.Commit();
    }

    private static void ApplyStorageOnly(PatriciaTrie accountTrie, TrieNodeStore nodes, IWriteBatch batch, StorageChange change,
        Span<byte> key, Span<byte> value, Span<byte> slotValue)
    {
        Account account = ReadAccount(accountTrie, change.AddressHash, key)
            ?? throw new StateApplyException(StateApplyError.MissingAccount, $"Storage changes name account {change.AddressHash}, which does not exist.");
        Hash256 storageRoot = ApplySlots(nodes, batch, account.StorageRoot, change, key, slotValue);
        WriteAccount(accountTrie, batch, change.AddressHash, account with { StorageRoot = storageRoot }, key, value);
    }

    private static Hash256 ApplySlots(TrieNodeStore nodes, IWriteBatch batch, Hash256 storageRoot, StorageChange change, Span<byte> key, Span<byte> slotValue)
    {
        var storageTrie = new PatriciaTrie(nodes, storageRoot);
        foreach (SlotChange slot in change.Slots)
        {
            Schema.WriteStorageSlotKey(change.AddressHash, slot.SlotHash, key);
            ReadOnlySpan<byte> trieKey = key.Slice(Hash256.Length, Hash256.Length);
            ReadOnlySpan<byte> flatKey = key[..Schema.StorageSlotKeyLength];
            int length = StorageSlot.EncodeValue(slot.Value, slotValue);
            if (length == 0)
            {
                storageTrie.Delete(trieKey);
                batch.Delete(Schema.StorageSlots, flatKey);
            }
            else
            {
                storageTrie.Set(trieKey, slotValue[..length]);
                batch.Put(Schema.StorageSlots, flatKey, slotValue[..length]);
            }
        }
        return storageTrie.Commit();
    }

    private static Account? ReadAccount(PatriciaTrie accountTrie, Hash256 addressHash, Span<byte> key)
    {
        addressHash.CopyTo(key);
        byte[]? encoded = accountTrie.Get(key[..Hash256.Length]);
        if (encoded is null) return null;
        try
        {
            return Account.Decode(encoded);
        }
        catch (Mgr.Trie.Rlp.RlpException e)
        {
            throw new StateApplyException(StateApplyError.MissingState, $"The stored account {addressHash} is malformed: {e.Message}", innerException: e);
        }
    }

    private static void WriteAccount(PatriciaTrie accountTrie, IWriteBatch batch, Hash256 addressHash, Account account, Span<byte> key, Span<byte> value)
    {
        addressHash.CopyTo(key);
        int length = account.WriteTo(value);
        accountTrie.Set(key[..Hash256.Length], value[..length]);
        batch.Put(Schema.Accounts, key[..Hash256.Length], value[..length]);
    }

    private static bool HasCode(IKeyValueReader committed, StateDiff diff, Hash256 codeHash)
    {
        foreach (CodeEntry entry in diff.Code)
        {
            if (entry.Hash == codeHash) return true;
        }
        Span<byte> codeKey = stackalloc byte[Hash256.Length];
        codeHash.CopyTo(codeKey);
        return committed.TryGet(Schema.Code, codeKey, Span<byte>.Empty, out _);
    }

    // Flat storage keys are account ‖ slot: [account ‖ 00…00, account ‖ ff…ff ‖ 00) covers every slot of the account.
    private static void DeleteFlatStorage(IWriteBatch batch, Hash256 addressHash, Span<byte> key)
    {
        Span<byte> end = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        addressHash.CopyTo(key);
        key.Slice(Hash256.Length, Hash256.Length).Clear();
        addressHash.CopyTo(end);
        end.Slice(Hash256.Length, Hash256.Length).Fill(0xff);
        end[Schema.StorageSlotKeyLength] = 0;
        batch.DeleteRange(Schema.StorageSlots, key[..Schema.StorageSlotKeyLength], end);
    }
}
