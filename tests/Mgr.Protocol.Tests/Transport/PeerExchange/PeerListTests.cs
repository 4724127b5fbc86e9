using Mgr.Protocol.Addressing;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.PeerExchange;

namespace Mgr.Protocol.Tests.Transport.PeerExchange;

public sealed class PeerListTests
{
    [Fact]
    public async Task A_list_written_to_a_stream_reads_back_the_same_addresses()
    {
        Multiaddr[] addresses = [Address(4001), Address(4002)];
        using var stream = new MemoryStream();

        await PeerList.SendAsync(stream, addresses);
        stream.Position = 0;
        IReadOnlyList<Multiaddr> read = await PeerList.ReceiveAsync(stream);

        Assert.Equal(addresses, read);
    }

    [Fact]
    public void Encoding_keeps_the_first_max_addresses_and_an_empty_list_is_empty()
    {
        Multiaddr[] many = [.. Enumerable.Range(0, PeerList.MaxAddresses + 5).Select(i => Address(5000 + i))];

        IReadOnlyList<Multiaddr> decoded = PeerList.Decode(PeerList.Encode(many));

        Assert.Equal(many.Take(PeerList.MaxAddresses), decoded);
        Assert.Empty(PeerList.Decode(PeerList.Encode([])));
    }

    [Fact]
    public void Skips_unknown_fields()
    {
        byte[] known = PeerList.Encode([Address(4001)]);
        var message = new byte[known.Length + 2];
        var writer = new ProtobufWriter(message);
        writer.WriteVarintField(7, 1);
        known.CopyTo(message.AsSpan(writer.Written));

        Assert.Equal([Address(4001)], PeerList.Decode(message));
    }

    [Fact]
    public void Refuses_too_many_addresses_an_address_without_a_peer_id_or_a_port_and_malformed_bytes()
    {
        byte[] tooMany = Concat(Enumerable.Range(0, PeerList.MaxAddresses + 1).Select(i => Field(Address(6000 + i).Bytes.ToArray())));
        byte[] noPeerId = Field(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001").Bytes.ToArray());
        byte[] noPort = Field(Multiaddr.Parse("/ip4/127.0.0.1").WithPeerId(Peer()).Bytes.ToArray());
        byte[] badMultiaddr = Field([0xff, 0xff, 0xff]);
        byte[] truncated = [0x0a, 0x20, 0x01];

        foreach (byte[] message in new[] { tooMany, noPeerId, noPort, badMultiaddr, truncated })
            Assert.Throws<PeerExchangeException>(() => PeerList.Decode(message));
    }

    [Fact]
    public async Task Refuses_a_stream_longer_than_the_limit_without_reading_all_of_it()
    {
        using var stream = new MemoryStream(new byte[PeerList.MaxMessageBytes * 4]);

        await Assert.ThrowsAsync<PeerExchangeException>(async () => await PeerList.ReceiveAsync(stream));

        Assert.True(stream.Position <= PeerList.MaxMessageBytes + 1);
    }

    private static Multiaddr Address(int port) => Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}").WithPeerId(Peer());

    private static readonly PeerId FixedPeer = Ed25519IdentityKey.Generate().PeerId;

    private static PeerId Peer() => FixedPeer;

    private static byte[] Field(byte[] value)
    {
        var message = new byte[ProtobufWriter.LengthOfBytesField(1, value.Length)];
        new ProtobufWriter(message).WriteBytesField(1, value);
        return message;
    }

    private static byte[] Concat(IEnumerable<byte[]> parts) => [.. parts.SelectMany(static part => part)];
}
