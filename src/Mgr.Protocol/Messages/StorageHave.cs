using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Messages;

/// <summary>The slot ranges a peer holds of one account's external storage trie; wire form <c>[account, ranges]</c>.</summary>
public sealed record StorageHave(Hash256 Account, KeyRangeSet Slots)
{
    /// <summary>Encoded length.</summary>
    public int EncodedLength() => Rlp.LengthOfList(33 + Slots.EncodedLength());

    /// <summary>Content length of a list of entries.</summary>
    public static int ContentOf(IReadOnlyList<StorageHave> entries)
    {
        int content = 0;
        foreach (StorageHave entry in entries) content += entry.EncodedLength();
        return content;
    }

    /// <summary>Writes a list of entries.</summary>
    public static void WriteList(ref RlpWriter writer, IReadOnlyList<StorageHave> entries)
    {
        writer.WriteListHeader(ContentOf(entries));
        foreach (StorageHave entry in entries)
        {
            writer.WriteListHeader(33 + entry.Slots.EncodedLength());
            writer.Write(entry.Account);
            entry.Slots.WriteTo(ref writer);
        }
    }

    /// <summary>Reads a list of entries: at most <see cref="Limits.MaxStorageHaveEntries"/>, accounts strictly ascending.</summary>
    public static StorageHave[] ReadList(ref RlpReader reader)
    {
        RlpReader list = reader.ReadList();
        var entries = new List<StorageHave>();
        while (!list.IsEnd)
        {
            if (entries.Count == Limits.MaxStorageHaveEntries) ProtocolViolationException.Throw(ViolationReason.TooManyItems, "too many storage have entries");
            RlpReader fields = list.ReadList();
            Hash256 account = fields.ReadHash();
            KeyRangeSet slots = KeyRangeSet.Read(ref fields);
            fields.EnsureEnd();
            if (entries.Count > 0 && account <= entries[^1].Account) ProtocolViolationException.Throw(ViolationReason.UnsortedKeys, "storage have accounts not ascending");
            entries.Add(new StorageHave(account, slots));
        }
        return [.. entries];
    }
}
