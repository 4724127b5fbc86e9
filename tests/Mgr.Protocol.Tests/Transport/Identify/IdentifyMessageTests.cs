using Mgr.Protocol.Transport.Identify;

namespace Mgr.Protocol.Tests.Transport.Identify;

public sealed class IdentifyMessageTests
{
    // Encoded by js-libp2p's own Identify codec: tests/interop/libp2p/identify-vector.mjs (field order 5, 6, 1, 2, 4, 3,
    // plus an unknown field 8, the signed peer record).
    private const string JsLibp2pMessageHex =
        "2a0a697066732f302e312e30321e6a732d6c69627032702f332e332e313120557365724167656e743d7632320a2408011220000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f1208047f000001060fa112142900000000000000000000000000000001060fa22208040a00000706d9031a0e2f697066732f69642f312e302e301a102f697066732f70696e672f312e302e301a132f697066732f69642f707573682f312e302e304203010203";

    [Fact]
    public void Decodes_a_message_encoded_by_js_libp2p()
    {
        IdentifyMessage message = IdentifyMessage.Decode(Convert.FromHexString(JsLibp2pMessageHex));

        Assert.Equal("ipfs/0.1.0", message.ProtocolVersion);
        Assert.Equal("js-libp2p/3.3.11 UserAgent=v22", message.AgentVersion);
        Assert.Equal(new byte[] { 8, 1, 18, 32 }.Concat(Enumerable.Range(0, 32).Select(i => (byte)i)).ToArray(), message.PublicKey!.Value.ToArray());
        Assert.Equal(["047f000001060fa1", "2900000000000000000000000000000001060fa2"], message.ListenAddrs.Select(a => Convert.ToHexStringLower(a.Span)));
        Assert.Equal("040a00000706d903", Convert.ToHexStringLower(message.ObservedAddr!.Value.Span));
        Assert.Equal(["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/ipfs/id/push/1.0.0"], message.Protocols);
    }

    [Fact]
    public void Round_trips_every_field_and_measures_what_it_writes()
    {
        var message = Sample();
        var buffer = new byte[message.EncodedLength];

        int written = message.WriteTo(buffer);
        IdentifyMessage decoded = IdentifyMessage.Decode(buffer);

        Assert.Equal(buffer.Length, written);
        Assert.Equal(message.ProtocolVersion, decoded.ProtocolVersion);
        Assert.Equal(message.AgentVersion, decoded.AgentVersion);
        Assert.Equal(message.PublicKey!.Value.ToArray(), decoded.PublicKey!.Value.ToArray());
        Assert.Equal(message.ListenAddrs.Select(a => a.ToArray()), decoded.ListenAddrs.Select(a => a.ToArray()));
        Assert.Equal(message.ObservedAddr!.Value.ToArray(), decoded.ObservedAddr!.Value.ToArray());
        Assert.Equal(message.Protocols, decoded.Protocols);
    }

    [Fact]
    public void An_empty_message_decodes_to_absent_fields()
    {
        IdentifyMessage decoded = IdentifyMessage.Decode([]);

        Assert.Null(decoded.AgentVersion);
        Assert.Null(decoded.PublicKey);
        Assert.Empty(decoded.Protocols);
    }

    [Fact]
    public void Rejects_a_string_that_is_not_utf8()
    {
        byte[] payload = [0x32, 0x02, 0xC3, 0x28]; // agentVersion = invalid two-byte sequence

        var error = Assert.Throws<IdentifyException>(() => IdentifyMessage.Decode(payload));

        Assert.Equal(IdentifyError.InvalidText, error.Reason);
    }

    [Fact]
    public void Rejects_a_known_field_with_the_wrong_wire_type()
    {
        byte[] payload = [0x30, 0x05]; // agentVersion as a varint

        var error = Assert.Throws<IdentifyException>(() => IdentifyMessage.Decode(payload));

        Assert.Equal(IdentifyError.Malformed, error.Reason);
    }

    [Fact]
    public void Rejects_a_field_that_runs_past_the_end()
    {
        byte[] payload = [0x0A, 0x10, 1, 2, 3];

        var error = Assert.Throws<IdentifyException>(() => IdentifyMessage.Decode(payload));

        Assert.Equal(IdentifyError.Malformed, error.Reason);
    }

    [Fact]
    public void Rejects_more_protocols_than_the_limit()
    {
        var message = new IdentifyMessage { Protocols = Enumerable.Range(0, IdentifyLimits.MaxProtocols + 1).Select(i => $"/p/{i}").ToArray() };
        var buffer = new byte[message.EncodedLength];
        message.WriteTo(buffer);

        var error = Assert.Throws<IdentifyException>(() => IdentifyMessage.Decode(buffer));

        Assert.Equal(IdentifyError.TooManyEntries, error.Reason);
    }

    [Fact]
    public void Rejects_a_payload_larger_than_the_limit()
    {
        var payload = new byte[IdentifyLimits.MaxMessageBytes + 1];

        var error = Assert.Throws<IdentifyException>(() => IdentifyMessage.Decode(payload));

        Assert.Equal(IdentifyError.MessageTooLarge, error.Reason);
    }

    internal static IdentifyMessage Sample() => new()
    {
        ProtocolVersion = "ipfs/0.1.0",
        AgentVersion = "mgr/0.1",
        PublicKey = new byte[] { 8, 2, 18, 33, 2, 5, 6 },
        ListenAddrs = [new byte[] { 4, 127, 0, 0, 1, 6, 0x0F, 0xA1 }],
        ObservedAddr = new byte[] { 4, 10, 0, 0, 7, 6, 0xD9, 0x03 },
        Protocols = ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"],
    };
}
