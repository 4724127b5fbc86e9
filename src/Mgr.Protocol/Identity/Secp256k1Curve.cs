using System.Numerics;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;

namespace Mgr.Protocol.Identity;

/// <summary>secp256k1 plumbing shared by signing and verification: point (de)compression through
/// BouncyCastle (.NET cannot import compressed points), low-s normalisation and DER signature encoding.</summary>
internal static class Secp256k1Curve
{
    public const int CompressedLength = 33;
    public const int ScalarLength = 32;

    public static readonly ECCurve Curve = ECCurve.CreateFromFriendlyName("secp256k1");

    private static readonly X9ECParameters Parameters = Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetByName("secp256k1");
    private static readonly BigInteger Order = new(Parameters.N.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
    private static readonly BigInteger HalfOrder = Order >> 1;

    /// <summary>Decodes a 33-byte compressed point into .NET parameters; false when it is not on the curve.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed, out ECPoint point)
    {
        point = default;
        if (compressed.Length != CompressedLength || (compressed[0] != 2 && compressed[0] != 3)) return false;
        try
        {
            Org.BouncyCastle.Math.EC.ECPoint decoded = Parameters.Curve.DecodePoint(compressed.ToArray()).Normalize();
            if (!decoded.IsValid()) return false;
            point = new ECPoint { X = decoded.AffineXCoord.GetEncoded(), Y = decoded.AffineYCoord.GetEncoded() };
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The 33-byte compressed form of an affine point given as 32-byte big-endian coordinates.</summary>
    public static byte[] Compress(ECPoint point)
    {
        var compressed = new byte[CompressedLength];
        compressed[0] = (byte)((point.Y![^1] & 1) == 0 ? 2 : 3);
        point.X!.CopyTo(compressed, 1);
        return compressed;
    }

    /// <summary>Turns a 64-byte r‖s signature into DER, with s forced into the low half of the group order
    /// (js-libp2p's noble-curves verifier rejects high-s signatures).</summary>
    public static byte[] ToLowSDer(ReadOnlySpan<byte> rs)
    {
        var s = new BigInteger(rs[ScalarLength..], isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder) s = Order - s;
        Span<byte> lowS = stackalloc byte[ScalarLength];
        lowS.Clear();
        int sLength = s.GetByteCount(isUnsigned: true);
        s.TryWriteBytes(lowS[(ScalarLength - sLength)..], out _, isUnsigned: true, isBigEndian: true);

        Span<byte> der = stackalloc byte[72];
        int rLength = WriteInteger(rs[..ScalarLength], der[2..]);
        int total = rLength + WriteInteger(lowS, der[(2 + rLength)..]);
        der[0] = 0x30;
        der[1] = (byte)total;
        return der[..(2 + total)].ToArray();
    }

    // DER INTEGER of an unsigned big-endian value: leading zeros stripped, a zero byte added when the top bit is set.
    private static int WriteInteger(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        ReadOnlySpan<byte> trimmed = value[start..];
        bool pad = (trimmed[0] & 0x80) != 0;
        int length = trimmed.Length + (pad ? 1 : 0);
        destination[0] = 0x02;
        destination[1] = (byte)length;
        if (pad) destination[2] = 0;
        trimmed.CopyTo(destination[(pad ? 3 : 2)..]);
        return 2 + length;
    }
}
