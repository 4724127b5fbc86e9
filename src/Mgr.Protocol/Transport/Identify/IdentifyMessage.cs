using System.Text;
using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Transport.Identify;

/// <summary>The Identify message (<c>/ipfs/id/1.0.0</c>): what a peer says about itself. Addresses are binary
/// multiaddrs and the public key is the protobuf-encoded libp2p key, both kept as raw bytes here.</summary>
/// <remarks>Decoding is strict about the protobuf encoding and UTF-8, skips unknown fields (e.g. the signed peer
/// record) and enforces <see cref="IdentifyLimits"/>; failures are <see cref="IdentifyException"/>.</remarks>
public sealed class IdentifyMessage
{
    private const int PublicKeyField = 1;
    private const int ListenAddrsField = 2;
    private const int ProtocolsField = 3;
    private const int ObservedAddrField = 4;
    private const int ProtocolVersionField = 5;
    private const int AgentVersionField = 6;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string? ProtocolVersion { get; init; }
    public string? AgentVersion { get; init; }
    public ReadOnlyMemory<byte>? PublicKey { get; init; }
    public IReadOnlyList<ReadOnlyMemory<byte>> ListenAddrs { get; init; } = [];
    public ReadOnlyMemory<byte>? ObservedAddr { get; init; }
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>Encoded size in bytes (without a length prefix).</summary>
    public int EncodedLength
    {
        get
        {
            int length = 0;
            if (PublicKey is { } key) length += ProtobufWriter.LengthOfBytesField(PublicKeyField, key.Length);
            foreach (ReadOnlyMemory<byte> address in ListenAddrs) length += ProtobufWriter.LengthOfBytesField(ListenAddrsField, address.Length);
            foreach (string protocol in Protocols) length += ProtobufWriter.LengthOfStringField(ProtocolsField, protocol);
            if (ObservedAddr is { } observed) length += ProtobufWriter.LengthOfBytesField(ObservedAddrField, observed.Length);
            if (ProtocolVersion is { } version) length += ProtobufWriter.LengthOfStringField(ProtocolVersionField, version);
            if (AgentVersion is { } agent) length += ProtobufWriter.LengthOfStringField(AgentVersionField, agent);
            return length;
        }
    }

    /// <summary>Writes the message in field-number order; <paramref name="destination"/> must hold <see cref="EncodedLength"/> bytes.
    /// Returns the bytes written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var writer = new ProtobufWriter(destination);
        if (PublicKey is { } key) writer.WriteBytesField(PublicKeyField, key.Span);
        foreach (ReadOnlyMemory<byte> address in ListenAddrs) writer.WriteBytesField(ListenAddrsField, address.Span);
        foreach (string protocol in Protocols) writer.WriteStringField(ProtocolsField, protocol);
        if (ObservedAddr is { } observed) writer.WriteBytesField(ObservedAddrField, observed.Span);
        if (ProtocolVersion is { } version) writer.WriteStringField(ProtocolVersionField, version);
        if (AgentVersion is { } agent) writer.WriteStringField(AgentVersionField, agent);
        return writer.Written;
    }

    /// <summary>Decodes a message (without its length prefix). Byte fields are copied out of <paramref name="payload"/>.</summary>
    public static IdentifyMessage Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > IdentifyLimits.MaxMessageBytes)
        {
            throw new IdentifyException(IdentifyError.MessageTooLarge, $"Identify message of {payload.Length} bytes exceeds {IdentifyLimits.MaxMessageBytes}.");
        }
        string? protocolVersion = null, agentVersion = null;
        byte[]? publicKey = null, observedAddr = null;
        var listenAddrs = new List<ReadOnlyMemory<byte>>();
        var protocols = new List<string>();
        try
        {
            var reader = new ProtobufReader(payload);
            while (reader.TryReadTag(out int field, out ProtobufWireType wireType))
            {
                if (field is < PublicKeyField or > AgentVersionField)
                {
                    reader.Skip(wireType);
                    continue;
                }
                reader.Expect(wireType, ProtobufWireType.LengthDelimited);
                ReadOnlySpan<byte> value = reader.ReadLengthDelimited();
                switch (field)
                {
                    case PublicKeyField: publicKey = value.ToArray(); break;
                    case ListenAddrsField:
                        if (listenAddrs.Count == IdentifyLimits.MaxListenAddrs) throw TooMany("listen addresses", IdentifyLimits.MaxListenAddrs);
                        listenAddrs.Add(value.ToArray());
                        break;
                    case ProtocolsField:
                        if (protocols.Count == IdentifyLimits.MaxProtocols) throw TooMany("protocols", IdentifyLimits.MaxProtocols);
                        protocols.Add(StrictUtf8.GetString(value));
                        break;
                    case ObservedAddrField: observedAddr = value.ToArray(); break;
                    case ProtocolVersionField: protocolVersion = StrictUtf8.GetString(value); break;
                    default: agentVersion = StrictUtf8.GetString(value); break;
                }
            }
        }
        catch (ProtobufException e)
        {
            throw new IdentifyException(IdentifyError.Malformed, $"Identify message is malformed: {e.Message}", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new IdentifyException(IdentifyError.InvalidText, "Identify message has a string that is not UTF-8.", e);
        }
        return new IdentifyMessage
        {
            ProtocolVersion = protocolVersion,
            AgentVersion = agentVersion,
            PublicKey = publicKey is null ? (ReadOnlyMemory<byte>?)null : publicKey,
            ListenAddrs = listenAddrs,
            ObservedAddr = observedAddr is null ? (ReadOnlyMemory<byte>?)null : observedAddr,
            Protocols = protocols,
        };
    }

    private static IdentifyException TooMany(string what, int limit) =>
        new(IdentifyError.TooManyEntries, $"Identify message lists more than {limit} {what}.");
}
