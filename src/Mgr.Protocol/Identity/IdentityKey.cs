using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Identity;

/// <summary>A node's private identity key: signs on the node's behalf and names it (<see cref="PeerId"/>).
/// Implementations are thread-safe.</summary>
public abstract class IdentityKey : IDisposable
{
    private PeerId? _peerId;

    /// <summary>The matching public key.</summary>
    public abstract PublicKey PublicKey { get; }

    /// <summary>The peer id derived from <see cref="PublicKey"/>.</summary>
    public PeerId PeerId => _peerId ??= PeerId.FromPublicKey(PublicKey);

    /// <summary>Signs <paramref name="message"/> by the peer-ids spec's rules for this key type.</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> message);

    /// <summary>The libp2p <c>PrivateKey</c> protobuf (type, then the type's private key bytes).</summary>
    public byte[] ExportPrivateKey()
    {
        byte[] data = ExportPrivateKeyData();
        try
        {
            var encoded = new byte[ProtobufWriter.LengthOfVarintField(1, (ulong)PublicKey.Type) + ProtobufWriter.LengthOfBytesField(2, data.Length)];
            var writer = new ProtobufWriter(encoded);
            writer.WriteVarintField(1, (ulong)PublicKey.Type);
            writer.WriteBytesField(2, data);
            return encoded;
        }
        finally
        {
            Array.Clear(data);
        }
    }

    /// <summary>Reads a libp2p <c>PrivateKey</c> protobuf holding a secp256k1 or Ed25519 key.</summary>
    /// <exception cref="KeyFormatException">When the bytes are malformed or hold another key type.</exception>
    public static IdentityKey ImportPrivateKey(ReadOnlySpan<byte> encoded)
    {
        ulong type;
        ReadOnlySpan<byte> data;
        try
        {
            var reader = new ProtobufReader(encoded);
            if (!reader.TryReadTag(out int field, out ProtobufWireType wire) || field != 1 || wire != ProtobufWireType.Varint)
            {
                throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PrivateKey must start with its Type field.");
            }
            type = reader.ReadVarint();
            if (!reader.TryReadTag(out field, out wire) || field != 2 || wire != ProtobufWireType.LengthDelimited)
            {
                throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PrivateKey must have its Data field second.");
            }
            data = reader.ReadLengthDelimited();
            if (!reader.IsEnd) throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PrivateKey has extra fields.");
        }
        catch (ProtobufException e)
        {
            throw new KeyFormatException(KeyFormatError.MalformedEnvelope, "PrivateKey protobuf is malformed.", e);
        }
        return type switch
        {
            (ulong)KeyType.Secp256k1 => Secp256k1IdentityKey.FromPrivateScalar(data),
            (ulong)KeyType.Ed25519 => Ed25519IdentityKey.FromPrivateKeyData(data),
            (ulong)KeyType.Rsa or (ulong)KeyType.Ecdsa =>
                throw new KeyFormatException(KeyFormatError.UnsupportedKeyType, $"{(KeyType)type} identity keys are not supported."),
            _ => throw new KeyFormatException(KeyFormatError.UnknownKeyType, $"Unknown key type {type}."),
        };
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The type-specific private key bytes (the caller clears them).</summary>
    protected abstract byte[] ExportPrivateKeyData();

    protected virtual void Dispose(bool disposing) { }
}
