using System.Text;

namespace Mgr.Trie.Nibbles;

/// <summary>An immutable sequence of nibbles (half-bytes, 0..15): a path in the hexary trie, high nibble of
/// each key byte first.</summary>
/// <remarks>Holds one nibble per byte in a private array that is never mutated; slicing copies. Meant for
/// node paths, proof prefixes and other cold paths — the stack builder works on spans instead.</remarks>
public readonly struct NibblePath : IEquatable<NibblePath>, IComparable<NibblePath>
{
    private readonly byte[]? _nibbles;

    private NibblePath(byte[] nibbles) => _nibbles = nibbles;

    /// <summary>The empty path (the root).</summary>
    public static NibblePath Empty => default;

    /// <summary>Number of nibbles.</summary>
    public int Length => _nibbles?.Length ?? 0;

    /// <summary>Nibble <paramref name="index"/>.</summary>
    public byte this[int index] => Span[index];

    /// <summary>The nibbles, one per byte.</summary>
    public ReadOnlySpan<byte> Span => _nibbles;

    /// <summary>A path from nibble values (each must be 0..15).</summary>
    /// <exception cref="ArgumentException">When a value is above 15.</exception>
    public static NibblePath FromNibbles(ReadOnlySpan<byte> nibbles)
    {
        foreach (byte n in nibbles)
        {
            if (n > 15) throw new ArgumentException("A nibble is 0..15.", nameof(nibbles));
        }
        return nibbles.IsEmpty ? Empty : new NibblePath(nibbles.ToArray());
    }

    /// <summary>The path of a byte key: two nibbles per byte, high nibble first.</summary>
    public static NibblePath FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) return Empty;
        var nibbles = new byte[key.Length * 2];
        Expand(key, nibbles);
        return new NibblePath(nibbles);
    }

    /// <summary>Writes the nibbles of <paramref name="key"/> into <paramref name="destination"/> (2 per byte).</summary>
    public static void Expand(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        for (int i = 0; i < key.Length; i++)
        {
            destination[2 * i] = (byte)(key[i] >> 4);
            destination[2 * i + 1] = (byte)(key[i] & 0xf);
        }
    }

    /// <summary>Parses hex digits, one nibble each, with or without a 0x prefix ("0xab3" is 3 nibbles).</summary>
    public static bool TryParse(string? text, out NibblePath path)
    {
        path = Empty;
        if (text is null) return false;
        ReadOnlySpan<char> digits = text.AsSpan();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (digits.Length > 4096) return false;
        var nibbles = new byte[digits.Length];
        for (int i = 0; i < digits.Length; i++)
        {
            int value = HexValue(digits[i]);
            if (value < 0) return false;
            nibbles[i] = (byte)value;
        }
        path = nibbles.Length == 0 ? Empty : new NibblePath(nibbles);
        return true;
    }

    /// <summary>Parses hex digits, one nibble each; see <see cref="TryParse"/>.</summary>
    /// <exception cref="FormatException">On anything but hex digits.</exception>
    public static NibblePath Parse(string text) =>
        TryParse(text, out NibblePath path) ? path : throw new FormatException("Not a nibble path: expected hex digits.");

    /// <summary>True when the path has an even length and so is a whole number of bytes.</summary>
    public bool IsByteAligned => (Length & 1) == 0;

    /// <summary>The nibbles from <paramref name="start"/> on (copies).</summary>
    public NibblePath Slice(int start) => Slice(start, Length - start);

    /// <summary><paramref name="length"/> nibbles from <paramref name="start"/> (copies).</summary>
    public NibblePath Slice(int start, int length) => FromTrusted(Span.Slice(start, length));

    /// <summary>This path followed by <paramref name="other"/>.</summary>
    public NibblePath Append(NibblePath other)
    {
        if (other.Length == 0) return this;
        var nibbles = new byte[Length + other.Length];
        Span.CopyTo(nibbles);
        other.Span.CopyTo(nibbles.AsSpan(Length));
        return new NibblePath(nibbles);
    }

    /// <summary>This path followed by one nibble.</summary>
    public NibblePath Append(int nibble)
    {
        var nibbles = new byte[Length + 1];
        Span.CopyTo(nibbles);
        nibbles[Length] = (byte)nibble;
        return new NibblePath(nibbles);
    }

    /// <summary>True when <paramref name="prefix"/> is a prefix of this path.</summary>
    public bool StartsWith(NibblePath prefix) => Span.StartsWith(prefix.Span);

    /// <summary>The bytes of an even-length path.</summary>
    /// <exception cref="InvalidOperationException">When the length is odd.</exception>
    public byte[] ToBytes()
    {
        if (!IsByteAligned) throw new InvalidOperationException("An odd-length nibble path is not a whole number of bytes.");
        var bytes = new byte[Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)((Span[2 * i] << 4) | Span[2 * i + 1]);
        return bytes;
    }

    /// <summary>Lexicographic nibble order (a prefix sorts first).</summary>
    public int CompareTo(NibblePath other) => Span.SequenceCompareTo(other.Span);

    public bool Equals(NibblePath other) => Span.SequenceEqual(other.Span);

    public override bool Equals(object? obj) => obj is NibblePath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public static bool operator ==(NibblePath left, NibblePath right) => left.Equals(right);
    public static bool operator !=(NibblePath left, NibblePath right) => !left.Equals(right);
    public static bool operator <(NibblePath left, NibblePath right) => left.CompareTo(right) < 0;
    public static bool operator >(NibblePath left, NibblePath right) => left.CompareTo(right) > 0;
    public static bool operator <=(NibblePath left, NibblePath right) => left.CompareTo(right) <= 0;
    public static bool operator >=(NibblePath left, NibblePath right) => left.CompareTo(right) >= 0;

    /// <summary>Hex digits, one per nibble, with a 0x prefix.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("0x", 2 + Length);
        foreach (byte n in Span) text.Append("0123456789abcdef"[n]);
        return text.ToString();
    }

    internal static NibblePath FromTrusted(ReadOnlySpan<byte> nibbles) => nibbles.IsEmpty ? Empty : new NibblePath(nibbles.ToArray());

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
