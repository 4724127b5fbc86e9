using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Transport.Noise;

/// <summary>The libp2p <c>NoiseHandshakePayload</c> protobuf: identity key (field 1, a PublicKey protobuf),
/// signature over the static Noise key (field 2) and extensions (field 4: stream muxers, field 2 inside).</summary>
/// <remarks>Decoding skips unknown fields (peers may add extensions) but rejects malformed protobuf.</remarks>
public sealed record NoiseHandshakePayload(byte[] IdentityKey, byte[] IdentitySignature, IReadOnlyList<string> StreamMuxers)
{
    private const int IdentityKeyField = 1;
    private const int IdentitySignatureField = 2;
    private const int ExtensionsField = 4;
    private const int StreamMuxersField = 2;

    /// <summary>The protobuf encoding (extensions only when there are stream muxers to announce).</summary>
    public byte[] Encode()
    {
        int extensionsLength = 0;
        foreach (string muxer in StreamMuxers) extensionsLength += ProtobufWriter.LengthOfStringField(StreamMuxersField, muxer);
        int length = ProtobufWriter.LengthOfBytesField(IdentityKeyField, IdentityKey.Length)
                     + ProtobufWriter.LengthOfBytesField(IdentitySignatureField, IdentitySignature.Length)
                     + (StreamMuxers.Count > 0 ? ProtobufWriter.LengthOfBytesField(ExtensionsField, extensionsLength) : 0);
        var encoded = new byte[length];
        var writer = new ProtobufWriter(encoded);
        writer.WriteBytesField(IdentityKeyField, IdentityKey);
        writer.WriteBytesField(IdentitySignatureField, IdentitySignature);
        if (StreamMuxers.Count > 0)
        {
            writer.WriteBytesHeader(ExtensionsField, extensionsLength);
            foreach (string muxer in StreamMuxers) writer.WriteStringField(StreamMuxersField, muxer);
        }
        return encoded;
    }

    /// <summary>Decodes a payload.</summary>
    /// <exception cref="NoiseException">With <see cref="NoiseError.InvalidPayload"/> when malformed or missing the key or signature.</exception>
    public static NoiseHandshakePayload Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            byte[]? key = null, signature = null;
            var muxers = new List<string>();
            var reader = new ProtobufReader(encoded);
            while (reader.TryReadTag(out int field, out ProtobufWireType wire))
            {
                switch (field)
                {
                    case IdentityKeyField when wire == ProtobufWireType.LengthDelimited:
                        key = reader.ReadLengthDelimited().ToArray();
                        break;
                    case IdentitySignatureField when wire == ProtobufWireType.LengthDelimited:
                        signature = reader.ReadLengthDelimited().ToArray();
                        break;
                    case ExtensionsField when wire == ProtobufWireType.LengthDelimited:
                        ReadExtensions(reader.ReadLengthDelimited(), muxers);
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }
            if (key is null || signature is null)
            {
                throw new NoiseException(NoiseError.InvalidPayload, "Noise handshake payload lacks the identity key or signature.");
            }
            return new NoiseHandshakePayload(key, signature, muxers);
        }
        catch (ProtobufException e)
        {
            throw new NoiseException(NoiseError.InvalidPayload, "Noise handshake payload is malformed.", e);
        }
    }

    private static void ReadExtensions(ReadOnlySpan<byte> encoded, List<string> muxers)
    {
        var reader = new ProtobufReader(encoded);
        while (reader.TryReadTag(out int field, out ProtobufWireType wire))
        {
            if (field == StreamMuxersField && wire == ProtobufWireType.LengthDelimited)
            {
                muxers.Add(System.Text.Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }
}
