using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Addressing;

/// <summary>A multiaddr over the protocols in <see cref="MultiaddrProtocol"/>: text form
/// <c>/ip4/127.0.0.1/tcp/4001/p2p/16Uiu2…</c>, binary form <c>(varint code, value)+</c>. Immutable, compares by
/// its binary form; every value is validated when parsed, so a constructed multiaddr is always well formed.</summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Longest text or binary form accepted (bounds the work spent on peer-supplied addresses).</summary>
    public const int MaxLength = 1024;

    /// <summary>Longest DNS name (RFC 1035).</summary>
    public const int MaxHostNameLength = 255;

    private readonly byte[] _bytes;
    private readonly MultiaddrComponent[] _components;
    private readonly int _lastComponentStart;

    private Multiaddr(byte[] bytes, MultiaddrComponent[] components, int lastComponentStart)
    {
        _bytes = bytes;
        _components = components;
        _lastComponentStart = lastComponentStart;
    }

    /// <summary>The components, left to right.</summary>
    public IReadOnlyList<MultiaddrComponent> Components => _components;

    /// <summary>The binary form.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The peer id of the last component when it is <c>/p2p</c>, else null.</summary>
    public PeerId? PeerId => _components[^1].Protocol == MultiaddrProtocol.P2p ? _components[^1].ToPeerId() : null;

    /// <summary>Parses the text form.</summary>
    /// <exception cref="MultiaddrException">With the reason the text is malformed.</exception>
    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength) Throw(MultiaddrError.TooLong, $"Multiaddr text longer than {MaxLength} characters.");
        if (text.Length == 0 || text == "/") Throw(MultiaddrError.Empty, "Empty multiaddr.");
        if (text[0] != '/') Throw(MultiaddrError.BadSyntax, "A multiaddr starts with '/'.");
        string[] parts = text[1..].Split('/');
        int count = parts[^1].Length == 0 ? parts.Length - 1 : parts.Length; // one trailing '/' is tolerated
        var bytes = new List<byte>(text.Length);
        Span<byte> scratch = stackalloc byte[UnsignedVarint.MaxLength];
        for (int i = 0; i < count; i++)
        {
            string name = parts[i];
            if (name.Length == 0) Throw(MultiaddrError.BadSyntax, "Empty protocol name in multiaddr.");
            MultiaddrProtocol protocol = ProtocolOf(name);
            if (i + 1 >= count) Throw(MultiaddrError.MissingValue, $"/{name} needs a value.");
            byte[] value = ParseValue(protocol, parts[++i]);
            bytes.AddRange(scratch[..UnsignedVarint.Write((ulong)protocol, scratch)]);
            if (!IsFixedSize(protocol)) bytes.AddRange(scratch[..UnsignedVarint.Write((ulong)value.Length, scratch)]);
            bytes.AddRange(value);
        }
        return Decode(bytes.ToArray());
    }

    /// <summary>Parses the text form; false (with the reason) instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Multiaddr? multiaddr)
    {
        multiaddr = null;
        if (text is null) return false;
        try
        {
            multiaddr = Parse(text);
            return true;
        }
        catch (MultiaddrException)
        {
            return false;
        }
    }

    /// <summary>Decodes the binary form.</summary>
    /// <exception cref="MultiaddrException">With the reason the bytes are malformed.</exception>
    public static Multiaddr Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) Throw(MultiaddrError.Empty, "Empty multiaddr.");
        if (bytes.Length > MaxLength) Throw(MultiaddrError.TooLong, $"Multiaddr longer than {MaxLength} bytes.");
        byte[] copy = bytes.ToArray();
        var components = new List<MultiaddrComponent>(4);
        int position = 0, lastStart = 0;
        while (position < copy.Length)
        {
            lastStart = position;
            if (UnsignedVarint.TryRead(copy.AsSpan(position), out ulong code, out int codeLength) != VarintStatus.Ok)
            {
                Throw(MultiaddrError.Truncated, "Malformed protocol code in multiaddr.");
            }
            position += codeLength;
            if (code > int.MaxValue || !Enum.IsDefined((MultiaddrProtocol)(int)code)) Throw(MultiaddrError.UnknownProtocol, $"Unknown multiaddr protocol code {code}.");
            var protocol = (MultiaddrProtocol)(int)code;
            int length = FixedSize(protocol);
            if (length < 0)
            {
                if (UnsignedVarint.TryRead(copy.AsSpan(position), out ulong declared, out int lengthLength) != VarintStatus.Ok)
                {
                    Throw(MultiaddrError.Truncated, "Malformed value length in multiaddr.");
                }
                position += lengthLength;
                if (declared > (ulong)(copy.Length - position)) Throw(MultiaddrError.Truncated, "Multiaddr ends inside a value.");
                length = (int)declared;
            }
            else if (copy.Length - position < length)
            {
                Throw(MultiaddrError.Truncated, "Multiaddr ends inside a value.");
            }
            var value = new ReadOnlyMemory<byte>(copy, position, length);
            ValidateValue(protocol, value.Span);
            components.Add(new MultiaddrComponent(protocol, value));
            position += length;
        }
        return new Multiaddr(copy, [.. components], lastStart);
    }

    /// <summary><c>/ip4|ip6/&lt;address&gt;/tcp/&lt;port&gt;</c> for an endpoint (IPv4-mapped IPv6 becomes /ip4).</summary>
    public static Multiaddr FromTcpEndpoint(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        IPAddress address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        string family = address.AddressFamily == AddressFamily.InterNetwork ? "ip4" : "ip6";
        return Parse(string.Create(CultureInfo.InvariantCulture, $"/{family}/{address}/tcp/{endpoint.Port}"));
    }

    /// <summary>This address with a trailing <c>/p2p/&lt;peerId&gt;</c> (replacing one already there).</summary>
    public Multiaddr WithPeerId(PeerId peerId)
    {
        ArgumentNullException.ThrowIfNull(peerId);
        Multiaddr bare = WithoutPeerId() ?? throw new InvalidOperationException("A bare /p2p address cannot take another peer id.");
        Span<byte> scratch = stackalloc byte[2 * UnsignedVarint.MaxLength];
        int header = UnsignedVarint.Write((ulong)MultiaddrProtocol.P2p, scratch);
        header += UnsignedVarint.Write((ulong)peerId.Multihash.Length, scratch[header..]);
        var bytes = new byte[bare._bytes.Length + header + peerId.Multihash.Length];
        bare._bytes.CopyTo(bytes, 0);
        scratch[..header].CopyTo(bytes.AsSpan(bare._bytes.Length));
        peerId.Multihash.CopyTo(bytes.AsSpan(bare._bytes.Length + header));
        return Decode(bytes);
    }

    /// <summary>This address without its trailing <c>/p2p</c> component; this one when it has none; null when
    /// the <c>/p2p</c> component is all there is.</summary>
    public Multiaddr? WithoutPeerId()
    {
        if (_components[^1].Protocol != MultiaddrProtocol.P2p) return this;
        if (_components.Length == 1) return null;
        return Decode(_bytes.AsSpan(0, _lastComponentStart));
    }

    /// <summary>The text form of a protocol's name.</summary>
    public static string NameOf(MultiaddrProtocol protocol) => protocol switch
    {
        MultiaddrProtocol.Ip4 => "ip4",
        MultiaddrProtocol.Tcp => "tcp",
        MultiaddrProtocol.Ip6 => "ip6",
        MultiaddrProtocol.Dns => "dns",
        MultiaddrProtocol.Dns4 => "dns4",
        MultiaddrProtocol.Dns6 => "dns6",
        MultiaddrProtocol.P2p => "p2p",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    public bool Equals(Multiaddr? other) => other is not null && other._bytes.AsSpan().SequenceEqual(_bytes);

    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>The text form.</summary>
    public override string ToString() => string.Concat(_components.Select(c => c.ToString()));

    public static bool operator ==(Multiaddr? left, Multiaddr? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Multiaddr? left, Multiaddr? right) => !(left == right);

    private static MultiaddrProtocol ProtocolOf(string name) => name switch
    {
        "ip4" => MultiaddrProtocol.Ip4,
        "tcp" => MultiaddrProtocol.Tcp,
        "ip6" => MultiaddrProtocol.Ip6,
        "dns" => MultiaddrProtocol.Dns,
        "dns4" => MultiaddrProtocol.Dns4,
        "dns6" => MultiaddrProtocol.Dns6,
        "p2p" or "ipfs" => MultiaddrProtocol.P2p,
        _ => throw new MultiaddrException(MultiaddrError.UnknownProtocol, $"Unknown multiaddr protocol '/{name}'."),
    };

    private static int FixedSize(MultiaddrProtocol protocol) => protocol switch
    {
        MultiaddrProtocol.Ip4 => 4,
        MultiaddrProtocol.Tcp => 2,
        MultiaddrProtocol.Ip6 => 16,
        _ => -1,
    };

    private static bool IsFixedSize(MultiaddrProtocol protocol) => FixedSize(protocol) >= 0;

    private static byte[] ParseValue(MultiaddrProtocol protocol, string text)
    {
        switch (protocol)
        {
            case MultiaddrProtocol.Ip4:
                if (!IPAddress.TryParse(text, out IPAddress? v4) || v4.AddressFamily != AddressFamily.InterNetwork || v4.ToString() != text)
                {
                    Throw(MultiaddrError.InvalidValue, $"'{text}' is not a dotted-quad IPv4 address.");
                }
                return v4.GetAddressBytes();
            case MultiaddrProtocol.Ip6:
                if (!text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    return v6.GetAddressBytes();
                }
                throw new MultiaddrException(MultiaddrError.InvalidValue, $"'{text}' is not an IPv6 address.");
            case MultiaddrProtocol.Tcp:
                int port = -1;
                if (text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit)) port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
                if (port is < 0 or > ushort.MaxValue) Throw(MultiaddrError.InvalidValue, $"'{text}' is not a TCP port.");
                var portBytes = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(portBytes, (ushort)port);
                return portBytes;
            case MultiaddrProtocol.P2p:
                if (!Identity.PeerId.TryParse(text, out PeerId? peerId)) Throw(MultiaddrError.InvalidValue, $"'{text}' is not a peer id.");
                return peerId.Multihash.ToArray();
            default:
                byte[] name = System.Text.Encoding.UTF8.GetBytes(text);
                ValidateValue(protocol, name);
                return name;
        }
    }

    private static void ValidateValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        switch (protocol)
        {
            case MultiaddrProtocol.P2p:
                if (!Identity.PeerId.TryFromMultihash(value, out _)) Throw(MultiaddrError.InvalidValue, "The /p2p value is not a peer id multihash.");
                break;
            case MultiaddrProtocol.Dns or MultiaddrProtocol.Dns4 or MultiaddrProtocol.Dns6:
                if (value.Length is 0 or > MaxHostNameLength || value.Contains((byte)'/') || !System.Text.Unicode.Utf8.IsValid(value))
                {
                    Throw(MultiaddrError.InvalidValue, "Not a DNS name.");
                }
                break;
        }
    }

    [DoesNotReturn]
    private static void Throw(MultiaddrError reason, string message) => throw new MultiaddrException(reason, message);
}
