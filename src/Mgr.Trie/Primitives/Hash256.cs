using System.Buffers.Binary;
using System.Globalization;

namespace Mgr.Trie.Primitives;

/// <summary>A 32-byte value: a Keccak-256 hash or a key in the 256-bit keyspace.</summary>
/// <remarks>
/// Stored as four big-endian words, so <see cref="CompareTo"/> is the byte-lexicographic (keyspace)
/// order. Immutable and allocation-free; <see cref="CopyTo"/> writes the 32 bytes.
/// </remarks>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    /// <summary>Length of the value in bytes.</summary>
    public const int Length = 32;

    private readonly ulong _w0, _w1, _w2, _w3; // _w0 holds bytes 0..7 (most significant)

    /// <summary>The all-zero value (also the smallest key).</summary>
    public static Hash256 Zero => default;

    /// <summary>The all-0xff value (the largest key).</summary>
    public static Hash256 MaxValue => new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Keccak-256 of the empty string (code hash of an account without code).</summary>
    public static readonly Hash256 EmptyKeccak = Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

    /// <summary>Root of the empty trie: Keccak-256 of RLP("") = 0x80.</summary>
    public static readonly Hash256 EmptyTrieRoot = Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

    public Hash256(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0; _w1 = w1; _w2 = w2; _w3 = w3;
    }

    /// <summary>Reads exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 32 bytes long.</exception>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"A Hash256 is 32 bytes, got {bytes.Length}.", nameof(bytes));
        _w0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _w3 = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>Word <paramref name="index"/> (0 = most significant) as a big-endian number.</summary>
    public ulong Word(int index) => index switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        3 => _w3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Byte <paramref name="index"/> (0..31).</summary>
    public byte this[int index] => (byte)(Word(index >> 3) >> (56 - 8 * (index & 7)));

    /// <summary>Nibble <paramref name="index"/> (0..63), high nibble of byte 0 first.</summary>
    public int Nibble(int index) => (this[index >> 1] >> ((index & 1) == 0 ? 4 : 0)) & 0xf;

    /// <summary>Writes the 32 bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _w2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _w3);
    }

    /// <summary>A new array with the 32 bytes (allocates; for cold paths).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>True when this is the all-zero value.</summary>
    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    /// <summary>The next key in keyspace order; wraps from <see cref="MaxValue"/> to <see cref="Zero"/>.</summary>
    public Hash256 Increment()
    {
        ulong w3 = _w3 + 1, w2 = _w2, w1 = _w1, w0 = _w0;
        if (w3 == 0 && ++w2 == 0 && ++w1 == 0) ++w0;
        return new Hash256(w0, w1, w2, w3);
    }

    /// <summary>The previous key in keyspace order; wraps from <see cref="Zero"/> to <see cref="MaxValue"/>.</summary>
    public Hash256 Decrement()
    {
        ulong w3 = _w3 - 1, w2 = _w2, w1 = _w1, w0 = _w0;
        if (w3 == ulong.MaxValue && w2-- == 0 && w1-- == 0) w0--;
        return new Hash256(w0, w1, w2, w3);
    }

    public int CompareTo(Hash256 other)
    {
        if (_w0 != other._w0) return _w0 < other._w0 ? -1 : 1;
        if (_w1 != other._w1) return _w1 < other._w1 ? -1 : 1;
        if (_w2 != other._w2) return _w2 < other._w2 ? -1 : 1;
        if (_w3 != other._w3) return _w3 < other._w3 ? -1 : 1;
        return 0;
    }

    public bool Equals(Hash256 other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);
    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;
    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;
    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;

    /// <summary>Lower-case hex with a 0x prefix.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    /// <summary>Parses 64 hex digits, with or without a 0x prefix.</summary>
    /// <exception cref="FormatException">On anything else.</exception>
    public static Hash256 Parse(string text)
    {
        if (!TryParse(text, out Hash256 value)) throw new FormatException($"Not a 32-byte hex value: '{Truncate(text)}'.");
        return value;
    }

    /// <summary>Parses 64 hex digits, with or without a 0x prefix; false on anything else.</summary>
    public static bool TryParse(string? text, out Hash256 value)
    {
        value = default;
        if (text is null) return false;
        ReadOnlySpan<char> digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length != 64) return false;
        Span<byte> bytes = stackalloc byte[Length];
        for (int i = 0; i < Length; i++)
        {
            if (!byte.TryParse(digits.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return false;
        }
        value = new Hash256(bytes);
        return true;
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
