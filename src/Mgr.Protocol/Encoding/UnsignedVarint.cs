using System.Buffers;

namespace Mgr.Protocol.Encoding;

/// <summary>The multiformats unsigned varint: 7 bits per byte, least significant group first, high bit
/// set on every byte but the last; minimal encoding required, at most 9 bytes (63 bits).</summary>
public static class UnsignedVarint
{
    /// <summary>Longest encoding the spec allows (9 bytes, 63 bits of value).</summary>
    public const int MaxLength = 9;

    /// <summary>Bytes needed to encode <paramref name="value"/>.</summary>
    public static int LengthOf(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    /// <summary>Writes <paramref name="value"/> and returns the bytes written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the value needs more than 63 bits.</exception>
    public static int Write(ulong value, Span<byte> destination)
    {
        if (value > long.MaxValue) throw new ArgumentOutOfRangeException(nameof(value), "Unsigned varints carry at most 63 bits.");
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Decodes a varint at the start of <paramref name="source"/>.</summary>
    /// <returns><see cref="VarintStatus.Ok"/> with the value and length; <see cref="VarintStatus.NeedMore"/>
    /// when the input ends inside a varint; <see cref="VarintStatus.Invalid"/> for a non-minimal or over-long one.</returns>
    public static VarintStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        for (int i = 0; i < MaxLength; i++)
        {
            if (i >= source.Length) return VarintStatus.NeedMore;
            byte b = source[i];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) return VarintStatus.Invalid; // non-minimal: trailing zero group
                length = i + 1;
                return VarintStatus.Ok;
            }
        }
        return VarintStatus.Invalid;
    }

    /// <summary>Decodes a varint at the start of a byte sequence (for pipe readers).</summary>
    public static VarintStatus TryRead(ReadOnlySequence<byte> source, out ulong value, out int length)
    {
        if (source.IsSingleSegment) return TryRead(source.FirstSpan, out value, out length);
        Span<byte> head = stackalloc byte[MaxLength];
        int available = (int)Math.Min(source.Length, MaxLength);
        source.Slice(0, available).CopyTo(head);
        return TryRead(head[..available], out value, out length);
    }
}

/// <summary>Outcome of decoding an unsigned varint.</summary>
public enum VarintStatus
{
    /// <summary>A complete, minimal varint was read.</summary>
    Ok,
    /// <summary>The input ended inside the varint.</summary>
    NeedMore,
    /// <summary>Non-minimal, or longer than 9 bytes.</summary>
    Invalid,
}
