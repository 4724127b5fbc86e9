using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Mgr.Trie.Primitives;

/// <summary>An unsigned 256-bit integer for balances and other EVM quantities.</summary>
/// <remarks>
/// Immutable and allocation-free except for <see cref="ToString()"/>. Arithmetic is always checked:
/// <c>+</c> and <c>-</c> throw <see cref="OverflowException"/> instead of wrapping, because a wrapped
/// balance is corrupted data. Text is decimal (<c>"1000"</c>) or 0x-hex (<c>"0x3e8"</c>); bytes are
/// big-endian, minimal for RLP (zero has no bytes).
/// </remarks>
public readonly struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    /// <summary>Size of the full big-endian form in bytes.</summary>
    public const int Length = 32;

    private const ulong TenPow19 = 10_000_000_000_000_000_000UL;

    private readonly ulong _w0, _w1, _w2, _w3; // _w0 is the most significant word

    /// <summary>Zero.</summary>
    public static UInt256 Zero => default;

    /// <summary>One.</summary>
    public static UInt256 One => new(0, 0, 0, 1);

    /// <summary>2^256 − 1.</summary>
    public static UInt256 MaxValue => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Builds the value from four 64-bit words, most significant first.</summary>
    public UInt256(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0; _w1 = w1; _w2 = w2; _w3 = w3;
    }

    /// <summary>A value that fits in 64 bits.</summary>
    public UInt256(ulong value) : this(0, 0, 0, value) { }

    /// <summary>Word <paramref name="index"/> (0 = most significant).</summary>
    public ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        3 => _w3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>True for zero.</summary>
    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    /// <summary>True when the value fits in a <see cref="ulong"/>.</summary>
    public bool FitsInUInt64 => (_w0 | _w1 | _w2) == 0;

    /// <summary>Bytes in the minimal big-endian form: 0 for zero, up to 32.</summary>
    public int ByteLength
    {
        get
        {
            if (_w0 != 0) return 24 + Bytes(_w0);
            if (_w1 != 0) return 16 + Bytes(_w1);
            if (_w2 != 0) return 8 + Bytes(_w2);
            return Bytes(_w3);

            static int Bytes(ulong word) => (64 - BitOperations.LeadingZeroCount(word) + 7) / 8;
        }
    }

    /// <summary>Reads a big-endian number of 0 to 32 bytes (leading zeros allowed).</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is longer than 32 bytes.</exception>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Length) throw new ArgumentException($"A UInt256 has at most 32 bytes, got {bytes.Length}.", nameof(bytes));
        Span<byte> full = stackalloc byte[Length];
        full[..(Length - bytes.Length)].Clear();
        bytes.CopyTo(full[(Length - bytes.Length)..]);
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(full),
            BinaryPrimitives.ReadUInt64BigEndian(full[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(full[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(full[24..]));
    }

    /// <summary>Writes the full 32-byte big-endian form.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>Writes the minimal big-endian form (<see cref="ByteLength"/> bytes) and returns its length.</summary>
    public int WriteMinimalBigEndian(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[Length];
        CopyTo(full);
        int length = ByteLength;
        full[(Length - length)..].CopyTo(destination);
        return length;
    }

    /// <summary>A new array with the minimal big-endian form (allocates; for cold paths).</summary>
    public byte[] ToMinimalBigEndianArray()
    {
        var bytes = new byte[ByteLength];
        WriteMinimalBigEndian(bytes);
        return bytes;
    }

    /// <summary>Sum; throws instead of wrapping.</summary>
    /// <exception cref="OverflowException">When the sum exceeds <see cref="MaxValue"/>.</exception>
    public static UInt256 Add(UInt256 left, UInt256 right)
    {
        if (!TryAdd(left, right, out UInt256 sum)) throw new OverflowException("UInt256 addition overflowed.");
        return sum;
    }

    /// <summary>Difference; throws instead of wrapping.</summary>
    /// <exception cref="OverflowException">When <paramref name="right"/> is greater than <paramref name="left"/>.</exception>
    public static UInt256 Subtract(UInt256 left, UInt256 right)
    {
        if (!TrySubtract(left, right, out UInt256 difference)) throw new OverflowException("UInt256 subtraction underflowed.");
        return difference;
    }

    /// <summary>Sum, or false when it would exceed <see cref="MaxValue"/>.</summary>
    public static bool TryAdd(UInt256 left, UInt256 right, out UInt256 sum)
    {
        ulong w3 = left._w3 + right._w3;
        ulong carry = w3 < left._w3 ? 1UL : 0UL;
        ulong w2 = AddWithCarry(left._w2, right._w2, ref carry);
        ulong w1 = AddWithCarry(left._w1, right._w1, ref carry);
        ulong w0 = AddWithCarry(left._w0, right._w0, ref carry);
        sum = new UInt256(w0, w1, w2, w3);
        return carry == 0;
    }

    /// <summary>Difference, or false when <paramref name="right"/> is greater than <paramref name="left"/>.</summary>
    public static bool TrySubtract(UInt256 left, UInt256 right, out UInt256 difference)
    {
        ulong w3 = left._w3 - right._w3;
        ulong borrow = left._w3 < right._w3 ? 1UL : 0UL;
        ulong w2 = SubtractWithBorrow(left._w2, right._w2, ref borrow);
        ulong w1 = SubtractWithBorrow(left._w1, right._w1, ref borrow);
        ulong w0 = SubtractWithBorrow(left._w0, right._w0, ref borrow);
        difference = new UInt256(w0, w1, w2, w3);
        return borrow == 0;
    }

    public static UInt256 operator +(UInt256 left, UInt256 right) => Add(left, right);
    public static UInt256 operator -(UInt256 left, UInt256 right) => Subtract(left, right);

    /// <summary>Widens a 64-bit value.</summary>
    public static implicit operator UInt256(ulong value) => new(value);

    /// <summary>Narrows to 64 bits.</summary>
    /// <exception cref="OverflowException">When the value does not fit.</exception>
    public static explicit operator ulong(UInt256 value) => value.ToUInt64();

    /// <summary>Narrows to 64 bits.</summary>
    /// <exception cref="OverflowException">When the value does not fit.</exception>
    public ulong ToUInt64()
    {
        if (!FitsInUInt64) throw new OverflowException("UInt256 value does not fit in 64 bits.");
        return _w3;
    }

    /// <summary>Same as the implicit conversion from <see cref="ulong"/>.</summary>
    public static UInt256 FromUInt64(ulong value) => new(value);

    public int CompareTo(UInt256 other)
    {
        if (_w0 != other._w0) return _w0 < other._w0 ? -1 : 1;
        if (_w1 != other._w1) return _w1 < other._w1 ? -1 : 1;
        if (_w2 != other._w2) return _w2 < other._w2 ? -1 : 1;
        if (_w3 != other._w3) return _w3 < other._w3 ? -1 : 1;
        return 0;
    }

    public bool Equals(UInt256 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(UInt256 left, UInt256 right) => left.Equals(right);
    public static bool operator !=(UInt256 left, UInt256 right) => !left.Equals(right);
    public static bool operator <(UInt256 left, UInt256 right) => left.CompareTo(right) < 0;
    public static bool operator >(UInt256 left, UInt256 right) => left.CompareTo(right) > 0;
    public static bool operator <=(UInt256 left, UInt256 right) => left.CompareTo(right) <= 0;
    public static bool operator >=(UInt256 left, UInt256 right) => left.CompareTo(right) >= 0;

    /// <summary>Decimal digits, no separators.</summary>
    public override string ToString()
    {
        if (FitsInUInt64) return _w3.ToString(CultureInfo.InvariantCulture);
        // Peel off 19 decimal digits at a time, least significant chunk first; 78 digits at most.
        Span<char> digits = stackalloc char[80];
        int start = digits.Length;
        UInt256 rest = this;
        while (!rest.FitsInUInt64)
        {
            rest = rest.DivRem(TenPow19, out ulong chunk);
            for (int i = 0; i < 19; i++)
            {
                digits[--start] = (char)('0' + (int)(chunk % 10));
                chunk /= 10;
            }
        }
        for (ulong head = rest._w3; head != 0; head /= 10) digits[--start] = (char)('0' + (int)(head % 10));
        return new string(digits[start..]);
    }

    /// <summary>Minimal lower-case hex with a 0x prefix (<c>"0x0"</c> for zero).</summary>
    public string ToHexString()
    {
        if (IsZero) return "0x0";
        Span<byte> bytes = stackalloc byte[Length];
        int length = WriteMinimalBigEndian(bytes);
        string hex = Convert.ToHexStringLower(bytes[..length]);
        return hex[0] == '0' ? string.Concat("0x", hex.AsSpan(1)) : "0x" + hex;
    }

    /// <summary>Parses decimal digits, or hex digits after a 0x prefix.</summary>
    /// <exception cref="FormatException">On empty input, a bad digit, a sign, whitespace, or a value above <see cref="MaxValue"/>.</exception>
    public static UInt256 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out UInt256 value))
            throw new FormatException($"Not an unsigned 256-bit number: '{(text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "..."))}'.");
        return value;
    }

    /// <summary>Parses decimal digits, or hex digits after a 0x prefix; false on anything else or on overflow.</summary>
    public static bool TryParse(string? text, out UInt256 value) => TryParse(text.AsSpan(), out value);

    /// <summary>Parses decimal digits, or hex digits after a 0x prefix; false on anything else or on overflow.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt256 value)
    {
        value = default;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return TryParseHex(text[2..], out value);
        if (text.IsEmpty) return false;
        UInt256 result = default;
        while (!text.IsEmpty)
        {
            int take = Math.Min(19, text.Length);
            ulong chunk = 0, scale = 1;
            foreach (char c in text[..take])
            {
                if (c is < '0' or > '9') return false;
                chunk = chunk * 10 + (ulong)(c - '0');
                scale *= 10;
            }
            if (!result.TryMultiplyAdd(scale, chunk, out result)) return false;
            text = text[take..];
        }
        value = result;
        return true;
    }

    private static bool TryParseHex(ReadOnlySpan<char> digits, out UInt256 value)
    {
        value = default;
        if (digits.IsEmpty) return false;
        digits = digits.TrimStart('0');
        if (digits.Length > 64) return false;
        Span<ulong> words = stackalloc ulong[4]; // least significant first
        words.Clear();
        for (int i = 0; i < digits.Length; i++)
        {
            int nibble = HexValue(digits[digits.Length - 1 - i]);
            if (nibble < 0) return false;
            words[i / 16] |= (ulong)nibble << (4 * (i % 16));
        }
        value = new UInt256(words[3], words[2], words[1], words[0]);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // this * factor + addend, false on overflow.
    private bool TryMultiplyAdd(ulong factor, ulong addend, out UInt256 result)
    {
        ulong high3 = Math.BigMul(_w3, factor, out ulong w3);
        ulong high2 = Math.BigMul(_w2, factor, out ulong w2);
        ulong high1 = Math.BigMul(_w1, factor, out ulong w1);
        ulong high0 = Math.BigMul(_w0, factor, out ulong w0);
        result = default;
        if (high0 != 0) return false;
        ulong carry = 0;
        w2 = AddWithCarry(w2, high3, ref carry);
        w1 = AddWithCarry(w1, high2, ref carry);
        w0 = AddWithCarry(w0, high1, ref carry);
        if (carry != 0) return false;
        return TryAdd(new UInt256(w0, w1, w2, w3), addend, out result);
    }

    // this / divisor, with the remainder.
    private UInt256 DivRem(ulong divisor, out ulong remainder)
    {
        UInt128 rest = 0;
        ulong q0 = Step(_w0, ref rest), q1 = Step(_w1, ref rest), q2 = Step(_w2, ref rest), q3 = Step(_w3, ref rest);
        remainder = (ulong)rest;
        return new UInt256(q0, q1, q2, q3);

        ulong Step(ulong word, ref UInt128 carried)
        {
            UInt128 current = (carried << 64) | word;
            ulong quotient = (ulong)(current / divisor);
            carried = current - (UInt128)quotient * divisor;
            return quotient;
        }
    }

    private static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong sum = a + b;
        ulong carryOut = sum < a ? 1UL : 0UL;
        ulong total = sum + carry;
        carryOut |= total < sum ? 1UL : 0UL;
        carry = carryOut;
        return total;
    }

    private static ulong SubtractWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong difference = a - b;
        ulong borrowOut = a < b ? 1UL : 0UL;
        ulong total = difference - borrow;
        borrowOut |= difference < borrow ? 1UL : 0UL;
        borrow = borrowOut;
        return total;
    }
}
