namespace Mgr.Trie.Nibbles;

/// <summary>Hex-prefix encoding (Yellow Paper appendix C): a nibble path plus a leaf/extension flag packed
/// into bytes. The first byte's high nibble is 2·leaf + odd; for odd lengths its low nibble is the first
/// nibble, otherwise it is zero.</summary>
public static class HexPrefix
{
    /// <summary>Encoded length of a path of <paramref name="nibbleCount"/> nibbles.</summary>
    public static int EncodedLength(int nibbleCount) => nibbleCount / 2 + 1;

    /// <summary>Encodes <paramref name="nibbles"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> nibbles, bool isLeaf, Span<byte> destination)
    {
        bool odd = (nibbles.Length & 1) == 1;
        int flag = (isLeaf ? 2 : 0) + (odd ? 1 : 0);
        int length = EncodedLength(nibbles.Length);
        destination = destination[..length];
        int next = 0;
        if (odd)
        {
            destination[0] = (byte)((flag << 4) | nibbles[0]);
            next = 1;
        }
        else
        {
            destination[0] = (byte)(flag << 4);
        }
        for (int i = 1; i < length; i++, next += 2) destination[i] = (byte)((nibbles[next] << 4) | nibbles[next + 1]);
        return length;
    }

    /// <summary>Decodes hex-prefix bytes; false when the flag nibble is not 0..3 or an even path has a
    /// non-zero padding nibble.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out NibblePath path, out bool isLeaf)
    {
        path = NibblePath.Empty;
        isLeaf = false;
        if (encoded.IsEmpty) return false;
        int flag = encoded[0] >> 4;
        if (flag > 3) return false;
        bool odd = (flag & 1) == 1;
        isLeaf = flag >= 2;
        if (!odd && (encoded[0] & 0xf) != 0) return false;
        int count = (encoded.Length - 1) * 2 + (odd ? 1 : 0);
        Span<byte> nibbles = count <= 256 ? stackalloc byte[count] : new byte[count];
        int next = 0;
        if (odd) nibbles[next++] = (byte)(encoded[0] & 0xf);
        for (int i = 1; i < encoded.Length; i++)
        {
            nibbles[next++] = (byte)(encoded[i] >> 4);
            nibbles[next++] = (byte)(encoded[i] & 0xf);
        }
        path = NibblePath.FromTrusted(nibbles);
        return true;
    }
}
