namespace Mgr.Protocol.Identity;

/// <summary>Base58btc (the Bitcoin alphabet), the text form of libp2p peer ids. Inputs are short
/// (≤ 64 bytes in practice), so the quadratic textbook algorithm is fine.</summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Longest input either direction accepts, to keep the quadratic work bounded.</summary>
    public const int MaxBytes = 256;

    private static readonly sbyte[] Digits = BuildDigits();

    /// <summary>Encodes bytes as base58btc text.</summary>
    /// <exception cref="ArgumentException">When the input exceeds <see cref="MaxBytes"/>.</exception>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxBytes) throw new ArgumentException($"Base58 input is limited to {MaxBytes} bytes.", nameof(data));
        int zeros = 0;
        while (zeros < data.Length && data[zeros] == 0) zeros++;
        int size = (data.Length - zeros) * 138 / 100 + 1;
        Span<byte> digits = stackalloc byte[size];
        int length = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 256 * digits[k];
                digits[k] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }
        int skip = size - length;
        return Build(zeros, digits[skip..]);
    }

    /// <summary>Decodes base58btc text; false on a character outside the alphabet or an over-long input.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length == 0 || text.Length > MaxBytes * 2) return false;
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        int size = (text.Length - zeros) * 733 / 1000 + 1;
        Span<byte> bytes = stackalloc byte[size];
        int length = 0;
        for (int i = zeros; i < text.Length; i++)
        {
            char c = text[i];
            int carry = c < 128 ? Digits[c] : -1;
            if (carry < 0) return false;
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++)
            {
                carry += 58 * bytes[k];
                bytes[k] = (byte)carry;
                carry >>= 8;
            }
            length = j;
        }
        data = new byte[zeros + length];
        bytes[(size - length)..].CopyTo(data.AsSpan(zeros));
        return true;
    }

    private static string Build(int zeros, ReadOnlySpan<byte> digits)
    {
        Span<char> chars = stackalloc char[zeros + digits.Length];
        chars[..zeros].Fill('1');
        for (int i = 0; i < digits.Length; i++) chars[zeros + i] = Alphabet[digits[i]];
        return new string(chars);
    }

    private static sbyte[] BuildDigits()
    {
        var digits = new sbyte[128];
        Array.Fill(digits, (sbyte)-1);
        for (int i = 0; i < Alphabet.Length; i++) digits[Alphabet[i]] = (sbyte)i;
        return digits;
    }
}
