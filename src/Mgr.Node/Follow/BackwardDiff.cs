using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Follow;

/// <summary>Computes the backward diff of a block: the <see cref="StateDiff"/> that, applied to the block's state,
/// gives back its parent's. It is read from the parent's flat state just before the block's forward diff is written.</summary>
/// <remarks>
/// <para>Per account the forward diff touches: one it creates is deleted (which also clears its storage); one it deletes
/// is restored with its nonce, balance, code hash and every slot it had; one it updates gets its old fields back and
/// each changed slot its old word (zero when the slot did not exist). Code is never removed: it is content-addressed
/// and may be shared, like trie nodes. The storage root is not part of a diff: the applier recomputes it.</para>
/// <para>Reads only the touched accounts, their changed slots and the storage of deleted accounts; memory grows with
/// those. The result satisfies every <see cref="StateDiff"/> invariant.</para>
/// </remarks>
public static class BackwardDiff
{
    /// <summary>The backward diff of <paramref name="forward"/>, whose parent state is the flat state of
    /// <paramref name="parentState"/>.</summary>
    public static StateDiff Compute(IKeyValueReader parentState, StateDiff forward)
    {
        ArgumentNullException.ThrowIfNull(parentState);
        ArgumentNullException.ThrowIfNull(forward);
        var accounts = new List<AccountChange>();
        var storage = new List<StorageChange>();
        int a = 0, s = 0;
        while (a < forward.Accounts.Count || s < forward.Storage.Count)
        {
            // Walk both ascending lists together, one address at a time.
            Hash256 address = s >= forward.Storage.Count || (a < forward.Accounts.Count && forward.Accounts[a].AddressHash <= forward.Storage[s].AddressHash)
                ? forward.Accounts[a].AddressHash
                : forward.Storage[s].AddressHash;
            AccountChange? change = a < forward.Accounts.Count && forward.Accounts[a].AddressHash == address ? forward.Accounts[a++] : null;
            StorageChange? slots = s < forward.Storage.Count && forward.Storage[s].AddressHash == address ? forward.Storage[s++] : null;
            Undo(parentState, address, change, slots, accounts, storage);
        }
        return new StateDiff(accounts, storage, []);
    }

    private static void Undo(IKeyValueReader parentState, Hash256 address, AccountChange? change, StorageChange? slots,
        List<AccountChange> accounts, List<StorageChange> storage)
    {
        Account? before = ReadAccount(parentState, address);
        if (before is not { } old)
        {
            // Created by the block (or a deletion of nothing): deleting it undoes it, storage included.
            if (change is { IsDeleted: false }) accounts.Add(AccountChange.Delete(address));
            return;
        }
        if (change is { IsDeleted: true })
        {
            accounts.Add(AccountChange.Update(address, old.Nonce, old.Balance, old.CodeHash));
            List<SlotChange> all = ReadAllSlots(parentState, address);
            if (all.Count > 0) storage.Add(new StorageChange(address, all));
            return;
        }
        if (change is { } update && (update.Nonce != old.Nonce || update.Balance != old.Balance || update.CodeHash != old.CodeHash))
            accounts.Add(AccountChange.Update(address, old.Nonce, old.Balance, old.CodeHash));
        if (slots is null) return;
        var restored = new List<SlotChange>(slots.Slots.Count);
        foreach (SlotChange slot in slots.Slots) restored.Add(new SlotChange(slot.SlotHash, ReadSlot(parentState, address, slot.SlotHash)));
        storage.Add(new StorageChange(address, restored));
    }

    private static Account? ReadAccount(IKeyValueReader reader, Hash256 address)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        address.CopyTo(key);
        Span<byte> value = stackalloc byte[Account.MaxEncodedLength];
        if (!reader.TryGet(Schema.Accounts, key, value, out int length)) return null;
        if (length > value.Length) throw new StorageException($"Corrupt flat account {address}: {length} bytes.");
        return Account.Decode(value[..length]);
    }

    private static UInt256 ReadSlot(IKeyValueReader reader, Hash256 address, Hash256 slot)
    {
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        Schema.WriteStorageSlotKey(address, slot, key);
        Span<byte> value = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        if (!reader.TryGet(Schema.StorageSlots, key, value, out int length)) return UInt256.Zero;
        if (length > value.Length) throw new StorageException($"Corrupt flat slot {address}/{slot}: {length} bytes.");
        return StorageSlot.DecodeValue(value[..length]);
    }

    // Flat storage keys are account ‖ slot, so one account's slots are the range [account ‖ 00…00, account ‖ ff…ff ‖ 00).
    private static List<SlotChange> ReadAllSlots(IKeyValueReader reader, Hash256 address)
    {
        Span<byte> lower = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> upper = stackalloc byte[Schema.StorageSlotKeyLength + 1];
        address.CopyTo(lower);
        address.CopyTo(upper);
        upper.Slice(Hash256.Length, Hash256.Length).Fill(0xff);
        var slots = new List<SlotChange>();
        using IRangeCursor cursor = reader.Iterate(Schema.StorageSlots, lower, upper);
        while (cursor.MoveNext())
        {
            slots.Add(new SlotChange(new Hash256(cursor.Key.Slice(Hash256.Length, Hash256.Length)), StorageSlot.DecodeValue(cursor.Value)));
        }
        return slots;
    }
}
