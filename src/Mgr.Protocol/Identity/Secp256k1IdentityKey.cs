using System.Security.Cryptography;

namespace Mgr.Protocol.Identity;

/// <summary>A secp256k1 identity key held by .NET's <see cref="ECDsa"/> (OpenSSL). Signatures are ECDSA over
/// SHA-256, low-s, DER-encoded — what the peer-ids spec asks and js-libp2p accepts. Thread-safe.</summary>
public sealed class Secp256k1IdentityKey : IdentityKey
{
    private readonly ECDsa _ecdsa;
    private readonly Lock _gate = new();

    private Secp256k1IdentityKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        PublicKey = PublicKey.Create(KeyType.Secp256k1, Secp256k1Curve.Compress(parameters.Q));
    }

    public override PublicKey PublicKey { get; }

    /// <summary>A fresh random key.</summary>
    public static Secp256k1IdentityKey Generate() => new(ECDsa.Create(Secp256k1Curve.Curve));

    /// <summary>Imports a 32-byte big-endian private scalar.</summary>
    /// <exception cref="KeyFormatException">With <see cref="KeyFormatError.InvalidKeyData"/> when the scalar is not in [1, n-1].</exception>
    public static Secp256k1IdentityKey FromPrivateScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != Secp256k1Curve.ScalarLength)
        {
            throw new KeyFormatException(KeyFormatError.InvalidKeyData, "A secp256k1 private key is 32 bytes.");
        }
        byte[] d = scalar.ToArray();
        try
        {
            return new Secp256k1IdentityKey(ECDsa.Create(new ECParameters { Curve = Secp256k1Curve.Curve, D = d }));
        }
        catch (CryptographicException e)
        {
            throw new KeyFormatException(KeyFormatError.InvalidKeyData, "Not a valid secp256k1 private key.", e);
        }
        finally
        {
            Array.Clear(d);
        }
    }

    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> rs = stackalloc byte[2 * Secp256k1Curve.ScalarLength];
        lock (_gate)
        {
            _ecdsa.SignData(message, rs, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        return Secp256k1Curve.ToLowSDer(rs);
    }

    protected override byte[] ExportPrivateKeyData()
    {
        lock (_gate)
        {
            return _ecdsa.ExportParameters(includePrivateParameters: true).D!;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _ecdsa.Dispose();
        base.Dispose(disposing);
    }
}
