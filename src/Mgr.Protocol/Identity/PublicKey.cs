using System.Security.Cryptography;
using Mgr.Protocol.Encoding;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Mgr.Protocol.Identity;

/// <summary>A libp2p public key: its type and its type-specific bytes (32-byte Ed25519 key, 33-byte compressed
/// secp256k1 point, DER for RSA and ECDSA). Immutable and thread-safe.</summary>
/// <remarks>The wire form is the <c>PublicKey</c> protobuf, encoded deterministically (field 1 then field 2,
/// minimal varints, nothing else); <see cref="Decode"/> insists on exactly that. Only Ed25519 and secp256k1
/// keys can verify signatures.</remarks>
public sealed class PublicKey : IEquatable<PublicKey>
{
    /// <summary>Largest key data accepted from the wire (a 4096-bit RSA key in PKIX DER is ~550 bytes).</summary>
    public const int MaxDataLength = 1024;

    private const int Ed25519Length = 32;
    private readonly byte[] _data;

    private PublicKey(KeyType type, byte[] data)
    {
        Type = type;
        _data = data;
    }

    /// <summary>The key's type.</summary>
    public KeyType Type { get; }

    /// <summary>The type-specific key bytes.</summary>
    public ReadOnlySpan<byte> Data => _data;

    /// <summary>Length of <see cref="Encode"/>'s output.</summary>
    public int EncodedLength =>
        ProtobufWriter.LengthOfVarintField(1, (ulong)Type) + ProtobufWriter.LengthOfBytesField(2, _data.Length);

    /// <summary>Builds a key from its type and bytes, checking the bytes (length; for secp256k1 that the point is on the curve).</summary>
    /// <exception cref="KeyFormatException">When the bytes are not a valid key of that type.</exception>
    public static PublicKey Create(KeyType type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case KeyType.Ed25519:
                if (data.Length != Ed25519Length) Throw(KeyFormatError.InvalidKeyData, "An Ed25519 public key is 32 bytes.");
                break;
            case KeyType.Secp256k1:
                if (!Secp256k1Curve.TryDecompress(data, out _)) Throw(KeyFormatError.InvalidKeyData, "Not a compressed secp256k1 point.");
                break;
            case KeyType.Rsa or KeyType.Ecdsa:
                if (data.Length == 0 || data.Length > MaxDataLength) Throw(KeyFormatError.InvalidKeyData, "Key data length out of range.");
                break;
            default:
                Throw(KeyFormatError.UnknownKeyType, $"Unknown key type {(int)type}.");
                break;
        }
        return new PublicKey(type, data.ToArray());
    }

    /// <summary>Decodes the deterministic <c>PublicKey</c> protobuf.</summary>
    /// <exception cref="KeyFormatException">On any deviation from the deterministic encoding or an invalid key.</exception>
    public static PublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        KeyType type;
        ReadOnlySpan<byte> data;
        try
        {
            var reader = new ProtobufReader(encoded);
            if (!reader.TryReadTag(out int field, out ProtobufWireType wire) || field != 1 || wire != ProtobufWireType.Varint)
            {
                throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PublicKey must start with its Type field.");
            }
            ulong typeNumber = reader.ReadVarint();
            if (!reader.TryReadTag(out field, out wire) || field != 2 || wire != ProtobufWireType.LengthDelimited)
            {
                throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PublicKey must have its Data field second.");
            }
            data = reader.ReadLengthDelimited();
            if (!reader.IsEnd) throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PublicKey has extra fields.");
            if (typeNumber > (ulong)KeyType.Ecdsa) throw new KeyFormatException(KeyFormatError.UnknownKeyType, $"Unknown key type {typeNumber}.");
            type = (KeyType)typeNumber;
        }
        catch (ProtobufException e)
        {
            throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PublicKey protobuf is malformed.", e);
        }
        return Create(type, data);
    }

    /// <summary>The deterministic <c>PublicKey</c> protobuf.</summary>
    public byte[] Encode()
    {
        var encoded = new byte[EncodedLength];
        var writer = new ProtobufWriter(encoded);
        writer.WriteVarintField(1, (ulong)Type);
        writer.WriteBytesField(2, _data);
        return encoded;
    }

    /// <summary>Checks <paramref name="signature"/> over <paramref name="message"/> by the peer-ids spec's rules:
    /// Ed25519 per RFC 8032; secp256k1 as DER ECDSA over SHA-256(message). False for a bad or malformed signature.</summary>
    /// <exception cref="KeyFormatException">With <see cref="KeyFormatError.UnsupportedKeyType"/> for RSA and ECDSA keys.</exception>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        switch (Type)
        {
            case KeyType.Ed25519:
                var signer = new Ed25519Signer();
                signer.Init(false, new Ed25519PublicKeyParameters(_data, 0));
                signer.BlockUpdate(message.ToArray(), 0, message.Length);
                return signer.VerifySignature(signature.ToArray());
            case KeyType.Secp256k1:
                if (!Secp256k1Curve.TryDecompress(_data, out ECPoint point)) return false;
                using (var ecdsa = ECDsa.Create(new ECParameters { Curve = Secp256k1Curve.Curve, Q = point }))
                {
                    return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
                }
            default:
                throw new KeyFormatException(KeyFormatError.UnsupportedKeyType, $"{Type} signatures are not supported.");
        }
    }

    /// <summary>This key's peer id.</summary>
    public PeerId ToPeerId() => PeerId.FromPublicKey(this);

    public bool Equals(PublicKey? other) => other is not null && other.Type == Type && other._data.AsSpan().SequenceEqual(_data);

    public override bool Equals(object? obj) => Equals(obj as PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type}:{Convert.ToHexStringLower(_data)}";

    private static void Throw(KeyFormatError reason, string message) => throw new KeyFormatException(reason, message);
}
