using System.Net;
using System.Net.Sockets;
using Mgr.Protocol.Addressing;

namespace Mgr.Protocol.Transport.Tcp;

/// <summary>A listening TCP socket bound to a multiaddr. <see cref="AcceptAsync"/> is meant for one accept loop;
/// disposing stops it (pending accepts end with <see cref="OperationCanceledException"/> or <see cref="ObjectDisposedException"/>).</summary>
public sealed class TcpAcceptor : IDisposable
{
    private readonly Socket _socket;

    private TcpAcceptor(Socket socket, Multiaddr address)
    {
        _socket = socket;
        Address = address;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public Multiaddr Address { get; }

    /// <summary>Binds and listens on <c>/ip4|ip6/&lt;address&gt;/tcp/&lt;port&gt;</c>.</summary>
    /// <exception cref="MultiaddrException">With <see cref="MultiaddrError.InvalidValue"/> when the address is not an IP/TCP address.</exception>
    /// <exception cref="SocketException">When binding fails (port in use, address not local).</exception>
    public static TcpAcceptor Listen(Multiaddr address, int backlog = 512)
    {
        IPEndPoint endpoint = TcpTransport.ToIPEndPoint(address)
            ?? throw new MultiaddrException(MultiaddrError.InvalidValue, $"Cannot listen on {address}: an /ip4 or /ip6 address with /tcp is needed.");
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return new TcpAcceptor(socket, Multiaddr.FromTcpEndpoint((IPEndPoint)socket.LocalEndPoint!));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next inbound connection.</summary>
    public async Task<TcpConnection> AcceptAsync(CancellationToken cancellation)
    {
        Socket accepted = await _socket.AcceptAsync(cancellation).ConfigureAwait(false);
        return TcpTransport.Wrap(accepted);
    }

    public void Dispose() => _socket.Dispose();
}
