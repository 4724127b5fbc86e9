using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Mgr.Protocol.Identity;

/// <summary>An Ed25519 identity key (BouncyCastle; .NET has none built in). RFC 8032 signatures. Thread-safe.</summary>
public sealed class Ed25519IdentityKey : IdentityKey
{
    private const int SeedLength = 32;
    private readonly Ed25519PrivateKeyParameters _key;

    private Ed25519IdentityKey(Ed25519PrivateKeyParameters key)
    {
        _key = key;
        PublicKey = PublicKey.Create(KeyType.Ed25519, key.GeneratePublicKey().GetEncoded());
    }

    public override PublicKey PublicKey { get; }

    /// <summary>A fresh random key.</summary>
    public static Ed25519IdentityKey Generate() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>Imports libp2p's Ed25519 private key bytes: seed ‖ public key (64 bytes), or the legacy
    /// seed ‖ public ‖ public (96 bytes); the embedded public key must match the seed.</summary>
    /// <exception cref="KeyFormatException">With <see cref="KeyFormatError.InvalidKeyData"/>.</exception>
    public static Ed25519IdentityKey FromPrivateKeyData(ReadOnlySpan<byte> data)
    {
        if (data.Length != 2 * SeedLength && data.Length != 3 * SeedLength)
        {
            throw new KeyFormatException(KeyFormatError.InvalidKeyData, "An Ed25519 private key is 64 (or legacy 96) bytes.");
        }
        var key = new Ed25519IdentityKey(new Ed25519PrivateKeyParameters(data[..SeedLength].ToArray(), 0));
        bool consistent = key.PublicKey.Data.SequenceEqual(data.Slice(SeedLength, SeedLength))
                          && (data.Length == 2 * SeedLength || data.Slice(2 * SeedLength).SequenceEqual(data.Slice(SeedLength, SeedLength)));
        if (!consistent) throw new KeyFormatException(KeyFormatError.InvalidKeyData, "The Ed25519 private key's public half does not match.");
        return key;
    }

    public override byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(message.ToArray(), 0, message.Length);
        return signer.GenerateSignature();
    }

    protected override byte[] ExportPrivateKeyData()
    {
        var data = new byte[2 * SeedLength];
        _key.Encode(data, 0);
        PublicKey.Data.CopyTo(data.AsSpan(SeedLength));
        return data;
    }
}
