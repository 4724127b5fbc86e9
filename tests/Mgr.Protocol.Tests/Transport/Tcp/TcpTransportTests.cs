using System.Net.Sockets;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Transport.Tcp;

namespace Mgr.Protocol.Tests.Transport.Tcp;

public sealed class TcpTransportTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/1", true)]
    [InlineData("/ip6/::1/tcp/1", true)]
    [InlineData("/dns4/localhost/tcp/1", true)]
    [InlineData("/ip4/127.0.0.1/tcp/1/p2p/16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY", true)]
    [InlineData("/ip4/127.0.0.1", false)]
    [InlineData("/tcp/1/ip4/127.0.0.1", false)]
    [InlineData("/p2p/16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY", false)]
    public void Knows_which_addresses_it_can_dial(string text, bool dialable)
    {
        Assert.Equal(dialable, TcpTransport.CanDial(Multiaddr.Parse(text)));
    }

    [Fact]
    public async Task Listens_on_port_zero_and_reports_the_bound_port_and_both_endpoints()
    {
        using TcpAcceptor acceptor = TcpAcceptor.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));

        Task<TcpConnection> accepting = acceptor.AcceptAsync(Timeout);
        TcpConnection dialled = await TcpTransport.DialAsync(acceptor.Address, Timeout);
        TcpConnection accepted = await accepting;
        await dialled.Stream.WriteAsync(new byte[] { 7 }, Timeout);

        Assert.NotEqual(0, acceptor.Address.Components[1].ToPort());
        Assert.Equal(acceptor.Address, dialled.RemoteAddress);
        Assert.Equal(dialled.LocalAddress, accepted.RemoteAddress);
        Assert.Equal(7, accepted.Stream.ReadByte());
        await dialled.Stream.DisposeAsync();
        await accepted.Stream.DisposeAsync();
    }

    [Fact]
    public async Task Resolves_dns4_names_before_dialling()
    {
        using TcpAcceptor acceptor = TcpAcceptor.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        int port = acceptor.Address.Components[1].ToPort();

        Task<TcpConnection> accepting = acceptor.AcceptAsync(Timeout);
        TcpConnection dialled = await TcpTransport.DialAsync(Multiaddr.Parse($"/dns4/localhost/tcp/{port}"), Timeout);
        TcpConnection accepted = await accepting;

        Assert.Equal("/ip4/127.0.0.1", dialled.RemoteAddress.Components[0].ToString());
        await dialled.Stream.DisposeAsync();
        await accepted.Stream.DisposeAsync();
    }

    [Fact]
    public async Task Reports_a_refused_connection_as_a_socket_error()
    {
        int port;
        using (TcpAcceptor closed = TcpAcceptor.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"))) port = closed.Address.Components[1].ToPort();

        await Assert.ThrowsAsync<SocketException>(() => TcpTransport.DialAsync(Multiaddr.Parse($"/ip4/127.0.0.1/tcp/{port}"), Timeout));
    }

    [Fact]
    public void Refuses_to_listen_on_a_dns_address()
    {
        var error = Assert.Throws<MultiaddrException>(() => TcpAcceptor.Listen(Multiaddr.Parse("/dns4/localhost/tcp/0")));

        Assert.Equal(MultiaddrError.InvalidValue, error.Reason);
    }
}
