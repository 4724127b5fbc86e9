namespace Mgr.Protocol.Addressing;

/// <summary>The multiaddr protocols this stack understands, with their multicodec codes (protocols.csv).</summary>
public enum MultiaddrProtocol
{
    /// <summary><c>/ip4/&lt;dotted quad&gt;</c>: 4 bytes.</summary>
    Ip4 = 4,
    /// <summary><c>/tcp/&lt;port&gt;</c>: 2 bytes big-endian.</summary>
    Tcp = 6,
    /// <summary><c>/ip6/&lt;address&gt;</c>: 16 bytes.</summary>
    Ip6 = 41,
    /// <summary><c>/dns/&lt;name&gt;</c>: length-prefixed UTF-8, resolves to IPv4 or IPv6.</summary>
    Dns = 53,
    /// <summary><c>/dns4/&lt;name&gt;</c>: length-prefixed UTF-8, resolves to IPv4 only.</summary>
    Dns4 = 54,
    /// <summary><c>/dns6/&lt;name&gt;</c>: length-prefixed UTF-8, resolves to IPv6 only.</summary>
    Dns6 = 55,
    /// <summary><c>/p2p/&lt;peer id&gt;</c> (text alias <c>/ipfs</c>): length-prefixed peer id multihash.</summary>
    P2p = 421,
}
