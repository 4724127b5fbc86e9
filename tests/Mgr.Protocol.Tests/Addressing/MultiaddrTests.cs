using System.Net;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;

namespace Mgr.Protocol.Tests.Addressing;

public sealed class MultiaddrTests
{
    private const string PeerText = "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY";

    [Fact]
    public void Packs_the_feature_file_string_form()
    {
        Multiaddr address = Multiaddr.Parse("/ip4/192.0.2.42/tcp/443");

        Assert.Equal(Hex.Bytes("04c000022a0601bb"), address.Bytes.ToArray());
        Assert.Equal(8, address.Bytes.Length);
        Assert.Equal(2, address.Components.Count);
        Assert.Equal("/ip4/192.0.2.42", address.Components[0].ToString());
        Assert.Equal(Hex.Bytes("c000022a"), address.Components[0].Value.ToArray());
        Assert.Equal("/tcp/443", address.Components[1].ToString());
        Assert.Equal(Hex.Bytes("01bb"), address.Components[1].Value.ToArray());
    }

    [Fact]
    public void Unpacks_the_feature_file_packed_form()
    {
        Multiaddr address = Multiaddr.Decode(Hex.Bytes("04c000022a0601bb"));

        Assert.Equal("/ip4/192.0.2.42/tcp/443", address.ToString());
        Assert.Equal(23, address.ToString().Length);
        Assert.Equal(MultiaddrProtocol.Ip4, address.Components[0].Protocol);
        Assert.Equal(MultiaddrProtocol.Tcp, address.Components[1].Protocol);
        Assert.Equal(443, address.Components[1].ToPort());
    }

    [Theory]
    [InlineData("/ip6/::1/tcp/4001")]
    [InlineData("/ip6/2001:db8::ff00:42:8329/tcp/0")]
    [InlineData("/dns4/example.com/tcp/30303")]
    [InlineData("/dns6/localhost/tcp/1")]
    [InlineData("/dns/bootnode.example/tcp/65535")]
    [InlineData("/ip4/127.0.0.1/tcp/4001/p2p/" + PeerText)]
    [InlineData("/p2p/" + PeerText)]
    public void Round_trips_text_and_binary_forms(string text)
    {
        Multiaddr parsed = Multiaddr.Parse(text);

        Multiaddr decoded = Multiaddr.Decode(parsed.Bytes);

        Assert.Equal(text, parsed.ToString());
        Assert.Equal(parsed, decoded);
        Assert.Equal(text, decoded.ToString());
    }

    [Fact]
    public void Reads_ipfs_as_the_old_name_of_p2p()
    {
        Multiaddr address = Multiaddr.Parse("/ip4/1.2.3.4/tcp/5/ipfs/" + PeerText);

        Assert.Equal("/ip4/1.2.3.4/tcp/5/p2p/" + PeerText, address.ToString());
        Assert.Equal(PeerId.Parse(PeerText), address.PeerId);
    }

    [Fact]
    public void Adds_replaces_and_removes_the_peer_id()
    {
        Multiaddr bare = Multiaddr.Parse("/ip4/10.0.0.1/tcp/9000");
        PeerId peer = PeerId.Parse(PeerText);
        PeerId other = PeerId.Parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");

        Multiaddr withPeer = bare.WithPeerId(peer);
        Multiaddr replaced = withPeer.WithPeerId(other);

        Assert.Equal(peer, withPeer.PeerId);
        Assert.Equal(other, replaced.PeerId);
        Assert.Equal(bare, replaced.WithoutPeerId());
        Assert.Null(bare.PeerId);
    }

    [Fact]
    public void Builds_an_address_from_a_tcp_endpoint()
    {
        Assert.Equal("/ip4/127.0.0.1/tcp/30303", Multiaddr.FromTcpEndpoint(new IPEndPoint(IPAddress.Loopback, 30303)).ToString());
        Assert.Equal("/ip6/::1/tcp/8", Multiaddr.FromTcpEndpoint(new IPEndPoint(IPAddress.IPv6Loopback, 8)).ToString());
        Assert.Equal("/ip4/10.1.2.3/tcp/7", Multiaddr.FromTcpEndpoint(new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 7)).ToString());
    }

    [Theory]
    [InlineData("", MultiaddrError.Empty)]
    [InlineData("/", MultiaddrError.Empty)]
    [InlineData("ip4/1.2.3.4", MultiaddrError.BadSyntax)]
    [InlineData("/ip4//tcp/1", MultiaddrError.InvalidValue)]
    [InlineData("//ip4/1.2.3.4", MultiaddrError.BadSyntax)]
    [InlineData("/udp/1234", MultiaddrError.UnknownProtocol)]
    [InlineData("/ip4", MultiaddrError.MissingValue)]
    [InlineData("/ip4/1.2.3.4/tcp", MultiaddrError.MissingValue)]
    [InlineData("/ip4/256.0.0.1", MultiaddrError.InvalidValue)]
    [InlineData("/ip4/1.2.3", MultiaddrError.InvalidValue)]
    [InlineData("/ip4/::1", MultiaddrError.InvalidValue)]
    [InlineData("/ip6/1.2.3.4", MultiaddrError.InvalidValue)]
    [InlineData("/ip6/fe80::1%eth0", MultiaddrError.InvalidValue)]
    [InlineData("/tcp/65536", MultiaddrError.InvalidValue)]
    [InlineData("/tcp/-1", MultiaddrError.InvalidValue)]
    [InlineData("/tcp/80a", MultiaddrError.InvalidValue)]
    [InlineData("/p2p/notapeerid", MultiaddrError.InvalidValue)]
    public void Rejects_malformed_text_with_a_typed_reason(string text, MultiaddrError reason)
    {
        var error = Assert.Throws<MultiaddrException>(() => Multiaddr.Parse(text));

        Assert.Equal(reason, error.Reason);
        Assert.False(Multiaddr.TryParse(text, out _));
    }

    [Theory]
    [InlineData("", MultiaddrError.Empty)]
    [InlineData("04c00002", MultiaddrError.Truncated)] // ip4 value cut short
    [InlineData("04c000022a06", MultiaddrError.Truncated)] // tcp with no port
    [InlineData("8103", MultiaddrError.UnknownProtocol)] // udp (273)
    [InlineData("a503", MultiaddrError.Truncated)] // p2p with no length
    [InlineData("a5030a0000", MultiaddrError.Truncated)] // p2p length beyond the input
    [InlineData("a5030200ff", MultiaddrError.InvalidValue)] // p2p value that is no peer id
    [InlineData("3600", MultiaddrError.InvalidValue)] // empty dns4 name
    [InlineData("80", MultiaddrError.Truncated)] // varint cut short
    public void Rejects_malformed_binary_with_a_typed_reason(string hex, MultiaddrError reason)
    {
        var error = Assert.Throws<MultiaddrException>(() => Multiaddr.Decode(Hex.Bytes(hex)));

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Rejects_oversized_input()
    {
        string text = "/dns4/" + new string('a', Multiaddr.MaxLength);

        var error = Assert.Throws<MultiaddrException>(() => Multiaddr.Parse(text));

        Assert.Equal(MultiaddrError.TooLong, error.Reason);
    }
}
