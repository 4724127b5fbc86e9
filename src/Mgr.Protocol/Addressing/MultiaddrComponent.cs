using System.Buffers.Binary;
using System.Net;
using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Addressing;

/// <summary>One <c>/protocol/value</c> pair of a <see cref="Multiaddr"/>; <see cref="Value"/> is the binary value
/// without its length prefix (4 or 16 address bytes, a 2-byte port, UTF-8 name bytes, a peer id multihash).
/// Only <see cref="Multiaddr"/> builds these, after validating the value; compare whole multiaddrs, not components.</summary>
public sealed class MultiaddrComponent
{
    internal MultiaddrComponent(MultiaddrProtocol protocol, ReadOnlyMemory<byte> value)
    {
        Protocol = protocol;
        Value = value;
    }

    /// <summary>The component's protocol.</summary>
    public MultiaddrProtocol Protocol { get; }

    /// <summary>The binary value, without a length prefix.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The IP address of an <c>/ip4</c> or <c>/ip6</c> component.</summary>
    public IPAddress ToIPAddress() => Protocol is MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6
        ? new IPAddress(Value.Span)
        : throw new InvalidOperationException($"/{Multiaddr.NameOf(Protocol)} carries no IP address.");

    /// <summary>The port of a <c>/tcp</c> component.</summary>
    public int ToPort() => Protocol == MultiaddrProtocol.Tcp
        ? BinaryPrimitives.ReadUInt16BigEndian(Value.Span)
        : throw new InvalidOperationException($"/{Multiaddr.NameOf(Protocol)} carries no port.");

    /// <summary>The host name of a <c>/dns</c>, <c>/dns4</c> or <c>/dns6</c> component.</summary>
    public string ToHostName() => Protocol is MultiaddrProtocol.Dns or MultiaddrProtocol.Dns4 or MultiaddrProtocol.Dns6
        ? System.Text.Encoding.UTF8.GetString(Value.Span)
        : throw new InvalidOperationException($"/{Multiaddr.NameOf(Protocol)} carries no host name.");

    /// <summary>The peer id of a <c>/p2p</c> component.</summary>
    public PeerId ToPeerId() => Protocol == MultiaddrProtocol.P2p
        ? PeerId.FromMultihash(Value.Span)
        : throw new InvalidOperationException($"/{Multiaddr.NameOf(Protocol)} carries no peer id.");

    /// <summary>The value's text form (what follows the protocol name).</summary>
    public string ValueText() => Protocol switch
    {
        MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6 => ToIPAddress().ToString(),
        MultiaddrProtocol.Tcp => ToPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        MultiaddrProtocol.P2p => ToPeerId().ToString(),
        _ => ToHostName(),
    };

    public override string ToString() => $"/{Multiaddr.NameOf(Protocol)}/{ValueText()}";
}
