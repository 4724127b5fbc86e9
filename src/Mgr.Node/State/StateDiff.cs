using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Node.State;

/// <summary>How one block changes the state: accounts changed or deleted, storage slots changed per account, and new
/// code. Keys are hashed (Keccak-256 of address / slot), as in the state and storage tries.</summary>
/// <remarks>
/// <para>Invariants, checked by the constructor and by <see cref="Decode"/> alike (a violation is a
/// <see cref="StateDiffException"/>): accounts, storage accounts, each account's slots and code entries are in strictly
/// ascending key order (code by its hash); every storage entry has at least one slot; a deleted account has no storage
/// entry (deletion already clears its storage); code is non-empty.</para>
/// <para>Encoding (RLP): <c>[accounts, storage, code]</c> with <c>accounts = [[addrHash] | [addrHash, nonce, balance,
/// codeHash], …]</c> (a one-item entry deletes), <c>storage = [[addrHash, [[slotHash, value], …]], …]</c> (value is the
/// minimal big-endian word, empty = zero = delete) and <c>code = [bytes, …]</c>. Decoding is strict (canonical RLP,
/// nothing trailing) and bounded by the input size. Immutable; safe to share.</para>
/// </remarks>
public sealed class StateDiff
{
    /// <summary>Largest accepted encoding; far above a devnet block's diff, small enough to hold in memory.</summary>
    public const int MaxEncodedBytes = 64 * 1024 * 1024;

    /// <summary>A diff that changes nothing.</summary>
    public static StateDiff Empty { get; } = new([], [], []);

    public StateDiff(IReadOnlyList<AccountChange> accounts, IReadOnlyList<StorageChange> storage, IReadOnlyList<CodeEntry> code)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(code);
        Accounts = accounts;
        Storage = storage;
        Code = code;
        Validate();
    }

    /// <summary>Changed accounts in ascending address-hash order.</summary>
    public IReadOnlyList<AccountChange> Accounts { get; }

    /// <summary>Storage changes per account in ascending address-hash order.</summary>
    public IReadOnlyList<StorageChange> Storage { get; }

    /// <summary>New code in ascending code-hash order.</summary>
    public IReadOnlyList<CodeEntry> Code { get; }

    /// <summary>Number of slot changes over all accounts.</summary>
    public int SlotCount
    {
        get
        {
            int count = 0;
            foreach (StorageChange change in Storage) count += change.Slots.Count;
            return count;
        }
    }

    /// <summary>Length of the RLP encoding.</summary>
    public int EncodedLength => Rlp.LengthOfList(Rlp.LengthOfList(AccountsLength()) + Rlp.LengthOfList(StorageLength()) + Rlp.LengthOfList(CodeLength()));

    /// <summary>Writes the encoding into <paramref name="destination"/> (at least <see cref="EncodedLength"/> bytes) and
    /// returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int accounts = AccountsLength(), storage = StorageLength(), code = CodeLength();
        var writer = new RlpWriter(destination);
        writer.WriteListHeader(Rlp.LengthOfList(accounts) + Rlp.LengthOfList(storage) + Rlp.LengthOfList(code));
        writer.WriteListHeader(accounts);
        foreach (AccountChange change in Accounts)
        {
            writer.WriteListHeader(AccountContentLength(change));
            writer.Write(change.AddressHash);
            if (change.IsDeleted) continue;
            writer.Write(change.Nonce);
            writer.Write(change.Balance);
            writer.Write(change.CodeHash);
        }
        writer.WriteListHeader(storage);
        foreach (StorageChange change in Storage)
        {
            int slots = SlotsLength(change);
            writer.WriteListHeader(Rlp.LengthOf(change.AddressHash) + Rlp.LengthOfList(slots));
            writer.Write(change.AddressHash);
            writer.WriteListHeader(slots);
            foreach (SlotChange slot in change.Slots)
            {
                writer.WriteListHeader(Rlp.LengthOf(slot.SlotHash) + Rlp.LengthOf(slot.Value));
                writer.Write(slot.SlotHash);
                writer.Write(slot.Value);
            }
        }
        writer.WriteListHeader(code);
        foreach (CodeEntry entry in Code) writer.WriteBytes(entry.Code.Span);
        return writer.Written;
    }

    /// <summary>The encoding as a new array.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Decodes a diff strictly.</summary>
    /// <exception cref="StateDiffException">On malformed RLP or a broken invariant.</exception>
    public static StateDiff Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedBytes)
            throw new StateDiffException(StateDiffError.TooLarge, $"A state diff of {encoded.Length} bytes exceeds {MaxEncodedBytes}.");
        var accounts = new List<AccountChange>();
        var storage = new List<StorageChange>();
        var code = new List<CodeEntry>();
        try
        {
            var outer = new RlpReader(encoded);
            RlpReader body = outer.ReadList();
            outer.EnsureEnd();
            RlpReader accountList = body.ReadList();
            while (!accountList.IsEnd)
            {
                RlpReader entry = accountList.ReadList();
                Hash256 addressHash = entry.ReadHash();
                if (entry.IsEnd)
                {
                    accounts.Add(AccountChange.Delete(addressHash));
                    continue;
                }
                ulong nonce = entry.ReadUInt64();
                UInt256 balance = entry.ReadUInt256();
                Hash256 codeHash = entry.ReadHash();
                if (!entry.IsEnd) throw new StateDiffException(StateDiffError.BadAccountChange, $"Account change {addressHash} has more than four items.");
                accounts.Add(AccountChange.Update(addressHash, nonce, balance, codeHash));
            }
            RlpReader storageList = body.ReadList();
            while (!storageList.IsEnd)
            {
                RlpReader entry = storageList.ReadList();
                Hash256 addressHash = entry.ReadHash();
                RlpReader slotList = entry.ReadList();
                entry.EnsureEnd();
                var slots = new List<SlotChange>();
                while (!slotList.IsEnd)
                {
                    RlpReader slot = slotList.ReadList();
                    Hash256 slotHash = slot.ReadHash();
                    UInt256 value = slot.ReadUInt256();
                    slot.EnsureEnd();
                    slots.Add(new SlotChange(slotHash, value));
                }
                storage.Add(new StorageChange(addressHash, slots));
            }
            RlpReader codeList = body.ReadList();
            while (!codeList.IsEnd)
            {
                byte[] bytes = codeList.ReadBytes().ToArray();
                code.Add(new CodeEntry(Keccak256.Compute(bytes), bytes));
            }
            body.EnsureEnd();
        }
        catch (RlpException e)
        {
            throw new StateDiffException(StateDiffError.MalformedRlp, $"Malformed state diff: {e.Message}", e);
        }
        return new StateDiff(accounts, storage, code);
    }

    private void Validate()
    {
        for (int i = 1; i < Accounts.Count; i++)
        {
            if (Accounts[i].AddressHash.CompareTo(Accounts[i - 1].AddressHash) <= 0)
                throw new StateDiffException(StateDiffError.KeysNotAscending, $"Account change {Accounts[i].AddressHash} is not after {Accounts[i - 1].AddressHash}.");
        }
        int account = 0;
        for (int i = 0; i < Storage.Count; i++)
        {
            StorageChange change = Storage[i] ?? throw new ArgumentException("A storage change is null.", nameof(Storage));
            if (i > 0 && change.AddressHash.CompareTo(Storage[i - 1].AddressHash) <= 0)
                throw new StateDiffException(StateDiffError.KeysNotAscending, $"Storage of {change.AddressHash} is not after {Storage[i - 1].AddressHash}.");
            if (change.Slots.Count == 0)
                throw new StateDiffException(StateDiffError.EmptySlotList, $"Storage of {change.AddressHash} has no slots.");
            for (int s = 1; s < change.Slots.Count; s++)
            {
                if (change.Slots[s].SlotHash.CompareTo(change.Slots[s - 1].SlotHash) <= 0)
                    throw new StateDiffException(StateDiffError.KeysNotAscending, $"Slot {change.Slots[s].SlotHash} of {change.AddressHash} is not after {change.Slots[s - 1].SlotHash}.");
            }
            // Both lists are ascending: walk the accounts alongside to find a deletion of the same account.
            while (account < Accounts.Count && Accounts[account].AddressHash.CompareTo(change.AddressHash) < 0) account++;
            if (account < Accounts.Count && Accounts[account].AddressHash == change.AddressHash && Accounts[account].IsDeleted)
                throw new StateDiffException(StateDiffError.StorageOfDeletedAccount, $"Account {change.AddressHash} is deleted and also has storage changes.");
        }
        for (int i = 0; i < Code.Count; i++)
        {
            CodeEntry entry = Code[i] ?? throw new ArgumentException("A code entry is null.", nameof(Code));
            if (entry.Code.IsEmpty) throw new StateDiffException(StateDiffError.EmptyCode, "A code entry is empty.");
            if (i > 0 && entry.Hash.CompareTo(Code[i - 1].Hash) <= 0)
                throw new StateDiffException(StateDiffError.KeysNotAscending, $"Code {entry.Hash} is not after {Code[i - 1].Hash} (or repeats it).");
        }
    }

    private static int AccountContentLength(AccountChange change) => change.IsDeleted
        ? Rlp.LengthOf(change.AddressHash)
        : Rlp.LengthOf(change.AddressHash) + Rlp.LengthOf(change.Nonce) + Rlp.LengthOf(change.Balance) + Rlp.LengthOf(change.CodeHash);

    private int AccountsLength()
    {
        int length = 0;
        foreach (AccountChange change in Accounts) length += Rlp.LengthOfList(AccountContentLength(change));
        return length;
    }

    private static int SlotsLength(StorageChange change)
    {
        int length = 0;
        foreach (SlotChange slot in change.Slots) length += Rlp.LengthOfList(Rlp.LengthOf(slot.SlotHash) + Rlp.LengthOf(slot.Value));
        return length;
    }

    private int StorageLength()
    {
        int length = 0;
        foreach (StorageChange change in Storage) length += Rlp.LengthOfList(Rlp.LengthOf(change.AddressHash) + Rlp.LengthOfList(SlotsLength(change)));
        return length;
    }

    private int CodeLength()
    {
        int length = 0;
        foreach (CodeEntry entry in Code) length += Rlp.LengthOf(entry.Code.Span);
        return length;
    }
}
