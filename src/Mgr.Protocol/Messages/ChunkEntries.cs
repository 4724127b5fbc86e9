using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>Encodes and decodes the leaf lists of StateData and ChunkDiff, with the shared checks: keys strictly
/// ascending and inside the chunk, well-formed values, inline storage within its limit. In a diff an empty
/// value is a deletion.</summary>
internal static class ChunkEntries
{
    public static int ContentOf(IReadOnlyList<AccountEntry> accounts)
    {
        int content = 0;
        foreach (AccountEntry account in accounts) content += Rlp.LengthOfList(AccountContent(account));
        return content;
    }

    public static int ContentOf(ReadOnlySpan<SlotEntry> slots)
    {
        int content = 0;
        foreach (SlotEntry slot in slots) content += Rlp.LengthOfList(33 + Rlp.LengthOf(slot.Value.Span));
        return content;
    }

    public static void Write(ref RlpWriter writer, IReadOnlyList<AccountEntry> accounts)
    {
        writer.WriteListHeader(ContentOf(accounts));
        foreach (AccountEntry account in accounts)
        {
            writer.WriteListHeader(AccountContent(account));
            writer.Write(account.AccountHash);
            writer.WriteBytes(account.Value.Span);
            Write(ref writer, account.Storage.Span);
        }
    }

    public static void Write(ref RlpWriter writer, ReadOnlySpan<SlotEntry> slots)
    {
        writer.WriteListHeader(ContentOf(slots));
        foreach (SlotEntry slot in slots)
        {
            writer.WriteListHeader(33 + Rlp.LengthOf(slot.Value.Span));
            writer.Write(slot.SlotHash);
            writer.WriteBytes(slot.Value.Span);
        }
    }

    /// <summary>Reads account entries of <paramref name="chunk"/>; inline slots of all accounts share one array.</summary>
    public static AccountEntry[] ReadAccounts(ref RlpReader reader, byte[] owner, ChunkId chunk, bool isDiff)
    {
        RlpReader list = reader.ReadList();
        var accounts = new List<AccountEntry>();
        var slots = new List<SlotEntry>();
        var storageBounds = new List<(int Start, int Count)>();
        Hash256? previous = null;
        while (!list.IsEnd)
        {
            RlpReader fields = list.ReadList();
            Hash256 key = fields.ReadHash();
            CheckKey(chunk, key, ref previous);
            ReadOnlySpan<byte> value = fields.ReadBytes();
            int firstSlot = slots.Count;
            ReadSlots(ref fields, owner, slots, chunk: null, isDiff: false, Limits.InlineStorageMaxSlots);
            fields.EnsureEnd();
            int slotCount = slots.Count - firstSlot;
            if (value.IsEmpty)
            {
                if (!isDiff) ProtocolViolationException.Throw(ViolationReason.WrongType, "empty account value outside a diff");
                if (slotCount > 0) ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, "deleted account with storage");
            }
            else
            {
                Hash256 storageRoot = AccountValue.Read(value).StorageRoot;
                if (slotCount > 0 && storageRoot == Hash256.EmptyTrieRoot)
                    ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, "inline storage for an account with empty storage");
            }
            accounts.Add(new AccountEntry(key, RlpFields.Slice(owner, value), default));
            storageBounds.Add((firstSlot, slotCount));
        }
        SlotEntry[] allSlots = [.. slots];
        var result = new AccountEntry[accounts.Count];
        for (int i = 0; i < result.Length; i++)
        {
            (int start, int count) = storageBounds[i];
            result[i] = accounts[i] with { Storage = allSlots.AsMemory(start, count) };
        }
        return result;
    }

    /// <summary>Reads the slot entries of a storage chunk.</summary>
    public static SlotEntry[] ReadSlots(ref RlpReader reader, byte[] owner, ChunkId chunk, bool isDiff)
    {
        var slots = new List<SlotEntry>();
        ReadSlots(ref reader, owner, slots, chunk, isDiff, int.MaxValue);
        return [.. slots];
    }

    // Appends a slot list to `slots`; `chunk` null means inline storage (any key of the account's storage).
    private static void ReadSlots(ref RlpReader reader, byte[] owner, List<SlotEntry> slots, ChunkId? chunk, bool isDiff, int maxCount)
    {
        RlpReader list = reader.ReadList();
        Hash256? previous = null;
        int count = 0;
        while (!list.IsEnd)
        {
            if (count++ == maxCount) ProtocolViolationException.Throw(ViolationReason.TooManyItems, $"more than {maxCount} inline slots");
            RlpReader fields = list.ReadList();
            Hash256 key = fields.ReadHash();
            if (chunk is { } id) CheckKey(id, key, ref previous);
            else CheckOrder(key, ref previous);
            ReadOnlySpan<byte> value = fields.ReadBytes();
            fields.EnsureEnd();
            if (value.IsEmpty)
            {
                if (!isDiff) ProtocolViolationException.Throw(ViolationReason.WrongType, "empty slot value outside a diff");
            }
            else AccountValue.CheckSlotValue(value);
            slots.Add(new SlotEntry(key, RlpFields.Slice(owner, value)));
        }
    }

    private static void CheckKey(ChunkId chunk, Hash256 key, ref Hash256? previous)
    {
        if (!chunk.Contains(key)) ProtocolViolationException.Throw(ViolationReason.KeyOutsideChunk, $"key {key} outside chunk {chunk}");
        CheckOrder(key, ref previous);
    }

    private static void CheckOrder(Hash256 key, ref Hash256? previous)
    {
        if (previous is { } last && key <= last) ProtocolViolationException.Throw(ViolationReason.UnsortedKeys, $"key {key} not above {last}");
        previous = key;
    }

    private static int AccountContent(AccountEntry account) =>
        33 + Rlp.LengthOf(account.Value.Span) + Rlp.LengthOfList(ContentOf(account.Storage.Span));
}
