using Mgr.Protocol.Encoding;
using Mgr.Protocol.Tests.TestSupport;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Protocol.Tests.Transport.Noise;

public sealed class NoiseHandshakePayloadTests
{
    [Fact]
    public void Round_trips_key_signature_and_stream_muxers()
    {
        var payload = new NoiseHandshakePayload([1, 2, 3], [4, 5], ["/yamux/1.0.0", "/mplex/6.7.0"]);

        NoiseHandshakePayload decoded = NoiseHandshakePayload.Decode(payload.Encode());

        Assert.Equal(payload.IdentityKey, decoded.IdentityKey);
        Assert.Equal(payload.IdentitySignature, decoded.IdentitySignature);
        Assert.Equal(payload.StreamMuxers, decoded.StreamMuxers);
    }

    [Fact]
    public void Encodes_fields_in_the_spec_order_without_extensions_when_there_are_none()
    {
        byte[] encoded = new NoiseHandshakePayload([0xaa], [0xbb], []).Encode();

        Assert.Equal(Hex.Bytes("0a01aa1201bb"), encoded);
    }

    [Fact]
    public void Skips_unknown_fields_and_webtransport_certificate_hashes()
    {
        // identity_key, identity_sig, an unknown varint field 7, extensions { webtransport_certhashes: 0x01, stream_muxers: "/y" }
        byte[] encoded = Hex.Bytes("0a01aa1201bb3805" + "2207" + "0a0101" + "12022f79");

        NoiseHandshakePayload decoded = NoiseHandshakePayload.Decode(encoded);

        Assert.Equal(["/y"], decoded.StreamMuxers);
    }

    [Theory]
    [InlineData("1201bb")] // no identity key
    [InlineData("0a01aa")] // no signature
    [InlineData("0a05aa")] // key longer than the payload
    [InlineData("0a01aa1201bb0b")] // a group wire type
    public void Rejects_a_payload_without_a_usable_key_and_signature(string hex)
    {
        var error = Assert.Throws<NoiseException>(() => NoiseHandshakePayload.Decode(Hex.Bytes(hex)));

        Assert.Equal(NoiseError.InvalidPayload, error.Reason);
    }

    [Fact]
    public void Measures_exactly_what_it_writes()
    {
        var payload = new NoiseHandshakePayload(new byte[37], new byte[71], ["/yamux/1.0.0"]);

        byte[] encoded = payload.Encode();

        var reader = new ProtobufReader(encoded);
        int fields = 0;
        while (reader.TryReadTag(out _, out ProtobufWireType wire))
        {
            reader.Skip(wire);
            fields++;
        }
        Assert.Equal(3, fields);
    }
}
