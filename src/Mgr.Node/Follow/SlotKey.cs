using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>A storage slot in the flat state: the account's and the slot's hashed keys.</summary>
public readonly record struct SlotKey(Hash256 Account, Hash256 Slot) : IComparable<SlotKey>
{
    /// <summary>Reads a <c>storage-slots</c> key (account ‖ slot, 64 bytes).</summary>
    public static SlotKey Read(ReadOnlySpan<byte> key) => new(new Hash256(key[..Hash256.Length]), new Hash256(key.Slice(Hash256.Length, Hash256.Length)));

    /// <summary>Writes the 64-byte <c>storage-slots</c> key.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Account.CopyTo(destination[..Hash256.Length]);
        Slot.CopyTo(destination.Slice(Hash256.Length, Hash256.Length));
    }

    /// <summary>Key order of the flat column: by account, then by slot.</summary>
    public int CompareTo(SlotKey other)
    {
        int byAccount = Account.CompareTo(other.Account);
        return byAccount != 0 ? byAccount : Slot.CompareTo(other.Slot);
    }

    public static bool operator <(SlotKey left, SlotKey right) => left.CompareTo(right) < 0;
    public static bool operator >(SlotKey left, SlotKey right) => left.CompareTo(right) > 0;
    public static bool operator <=(SlotKey left, SlotKey right) => left.CompareTo(right) <= 0;
    public static bool operator >=(SlotKey left, SlotKey right) => left.CompareTo(right) >= 0;
}
