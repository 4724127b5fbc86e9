using System.Buffers.Binary;
using System.Globalization;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.State;

/// <summary>A 20-byte Ethereum account address.</summary>
/// <remarks>Immutable and allocation-free. Its key in the state trie is <see cref="Hash"/> (Keccak-256 of
/// the 20 bytes). <see cref="ToString"/> is lower-case 0x-hex (no EIP-55 checksum).</remarks>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>Length of an address in bytes.</summary>
    public const int Length = 20;

    private readonly ulong _w0, _w1; // bytes 0..7 and 8..15, big-endian
    private readonly uint _w2;       // bytes 16..19, big-endian

    /// <summary>The all-zero address.</summary>
    public static Address Zero => default;

    /// <summary>Reads exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 20 bytes long.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length) throw new ArgumentException($"An address is 20 bytes, got {bytes.Length}.", nameof(bytes));
        _w0 = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _w1 = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _w2 = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    /// <summary>True when every byte is zero.</summary>
    public bool IsZero => (_w0 | _w1 | _w2) == 0;

    /// <summary>Writes the 20 bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _w0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _w1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _w2);
    }

    /// <summary>A new array with the 20 bytes (allocates; for cold paths).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Keccak-256 of the address: its key in the secure state trie.</summary>
    public Hash256 Hash()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Keccak256.Compute(bytes);
    }

    public bool Equals(Address other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_w0, _w1, _w2);

    public int CompareTo(Address other)
    {
        if (_w0 != other._w0) return _w0 < other._w0 ? -1 : 1;
        if (_w1 != other._w1) return _w1 < other._w1 ? -1 : 1;
        return _w2.CompareTo(other._w2);
    }

    public static bool operator ==(Address left, Address right) => left.Equals(right);
    public static bool operator !=(Address left, Address right) => !left.Equals(right);
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    /// <summary>Lower-case hex with a 0x prefix.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    /// <summary>Parses 40 hex digits, with or without a 0x prefix (any letter case).</summary>
    /// <exception cref="FormatException">On anything else.</exception>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out Address value))
        {
            string shown = text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
            throw new FormatException($"Not a 20-byte hex address: '{shown}'.");
        }
        return value;
    }

    /// <summary>Parses 40 hex digits, with or without a 0x prefix; false on anything else.</summary>
    public static bool TryParse(string? text, out Address value)
    {
        value = default;
        if (text is null) return false;
        ReadOnlySpan<char> digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length != 2 * Length) return false;
        Span<byte> bytes = stackalloc byte[Length];
        for (int i = 0; i < Length; i++)
        {
            if (!byte.TryParse(digits.Slice(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return false;
        }
        value = new Address(bytes);
        return true;
    }
}
