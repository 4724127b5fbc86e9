using System.Numerics;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Rlp;

/// <summary>Encoded lengths of RLP items, so writers can measure before they write.</summary>
public static class Rlp
{
    /// <summary>The encoding of the empty string (0x80).</summary>
    public const byte EmptyString = 0x80;

    /// <summary>The encoding of the empty list (0xc0).</summary>
    public const byte EmptyList = 0xc0;

    /// <summary>Encoded length of a string item with this payload.</summary>
    public static int LengthOf(ReadOnlySpan<byte> payload) =>
        payload.Length == 1 && payload[0] < 0x80 ? 1 : LengthOfHeader(payload.Length) + payload.Length;

    /// <summary>Encoded length of an unsigned integer (minimal big-endian bytes).</summary>
    public static int LengthOf(ulong value) => value < 0x80 ? 1 : 1 + ByteLength(value);

    /// <summary>Encoded length of an unsigned 256-bit integer (minimal big-endian bytes).</summary>
    public static int LengthOf(UInt256 value) =>
        value.FitsInUInt64 ? LengthOf(value.ToUInt64()) : 1 + value.ByteLength;

    /// <summary>Encoded length of a 32-byte value (always 33).</summary>
    public static int LengthOf(Hash256 value) => 33;

    /// <summary>Encoded length of a boolean (always 1).</summary>
    public static int LengthOf(bool value) => 1;

    /// <summary>Encoded length of a list whose items together take <paramref name="contentLength"/> bytes.</summary>
    public static int LengthOfList(int contentLength) => LengthOfHeader(contentLength) + contentLength;

    /// <summary>Length of the header in front of a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfHeader(int payloadLength) => payloadLength <= 55 ? 1 : 1 + ByteLength((ulong)payloadLength);

    /// <summary>Bytes needed for <paramref name="value"/> in minimal big-endian form (0 for zero).</summary>
    public static int ByteLength(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;
}
