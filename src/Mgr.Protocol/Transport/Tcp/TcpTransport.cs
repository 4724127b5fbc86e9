using System.Net;
using System.Net.Sockets;
using Mgr.Protocol.Addressing;

namespace Mgr.Protocol.Transport.Tcp;

/// <summary>Dials TCP multiaddrs: <c>/ip4|ip6/…/tcp/…</c>, or <c>/dns|dns4|dns6/…/tcp/…</c> resolved first;
/// a trailing <c>/p2p/…</c> is ignored here (the security layer checks it). Sockets get TCP_NODELAY.</summary>
public static class TcpTransport
{
    /// <summary>True when <paramref name="address"/> starts with a host (IP or DNS) followed by a TCP port.</summary>
    public static bool CanDial(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        IReadOnlyList<MultiaddrComponent> parts = address.Components;
        return parts.Count >= 2
               && parts[0].Protocol is MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6 or MultiaddrProtocol.Dns or MultiaddrProtocol.Dns4 or MultiaddrProtocol.Dns6
               && parts[1].Protocol == MultiaddrProtocol.Tcp
               && (parts.Count == 2 || (parts.Count == 3 && parts[2].Protocol == MultiaddrProtocol.P2p));
    }

    /// <summary>Connects to <paramref name="address"/>, trying each resolved address in turn.</summary>
    /// <exception cref="MultiaddrException">With <see cref="MultiaddrError.InvalidValue"/> when the address is not dialable over TCP.</exception>
    /// <exception cref="SocketException">When no resolved address accepts the connection.</exception>
    public static async Task<TcpConnection> DialAsync(Multiaddr address, CancellationToken cancellation)
    {
        if (!CanDial(address)) throw new MultiaddrException(MultiaddrError.InvalidValue, $"{address} is not a TCP address.");
        MultiaddrComponent host = address.Components[0];
        int port = address.Components[1].ToPort();
        IPAddress[] candidates = host.Protocol switch
        {
            MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6 => [host.ToIPAddress()],
            _ => await ResolveAsync(host, cancellation).ConfigureAwait(false),
        };
        SocketException? last = null;
        foreach (IPAddress candidate in candidates)
        {
            var socket = new Socket(candidate.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(candidate, port), cancellation).ConfigureAwait(false);
                return Wrap(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The IP endpoint of an <c>/ip4|ip6/…/tcp/…</c> address, or null for any other shape.</summary>
    public static IPEndPoint? ToIPEndPoint(Multiaddr address)
    {
        ArgumentNullException.ThrowIfNull(address);
        IReadOnlyList<MultiaddrComponent> parts = address.Components;
        if (parts.Count < 2 || parts[0].Protocol is not (MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6) || parts[1].Protocol != MultiaddrProtocol.Tcp)
        {
            return null;
        }
        return new IPEndPoint(parts[0].ToIPAddress(), parts[1].ToPort());
    }

    internal static TcpConnection Wrap(Socket socket)
    {
        socket.NoDelay = true;
        return new TcpConnection(
            new NetworkStream(socket, ownsSocket: true),
            Multiaddr.FromTcpEndpoint((IPEndPoint)socket.LocalEndPoint!),
            Multiaddr.FromTcpEndpoint((IPEndPoint)socket.RemoteEndPoint!));
    }

    private static async Task<IPAddress[]> ResolveAsync(MultiaddrComponent host, CancellationToken cancellation)
    {
        AddressFamily family = host.Protocol switch
        {
            MultiaddrProtocol.Dns4 => AddressFamily.InterNetwork,
            MultiaddrProtocol.Dns6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        IPAddress[] resolved = await Dns.GetHostAddressesAsync(host.ToHostName(), family, cancellation).ConfigureAwait(false);
        if (resolved.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return resolved;
    }
}
