using Mgr.Protocol.Addressing;

namespace Mgr.Protocol.Transport.Tcp;

/// <summary>A raw TCP connection before any upgrade: its stream (owned by whoever upgrades it) and both
/// endpoints as multiaddrs (<c>/ip4|ip6/…/tcp/…</c>).</summary>
public sealed record TcpConnection(Stream Stream, Multiaddr LocalAddress, Multiaddr RemoteAddress);
