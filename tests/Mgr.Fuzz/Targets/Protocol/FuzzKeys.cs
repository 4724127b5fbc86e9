using Mgr.Protocol.Addressing;
using Mgr.Protocol.Identity;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>Deterministic identity keys and addresses for seeds (fixed secp256k1 scalars, so seeds are reproducible).</summary>
internal static class FuzzKeys
{
    public static Secp256k1IdentityKey Key(byte seed)
    {
        var scalar = new byte[32];
        scalar[31] = seed;
        scalar[0] = 0x11;
        return Secp256k1IdentityKey.FromPrivateScalar(scalar);
    }

    public static IEnumerable<Multiaddr> Addresses(PeerId peer) =>
    [
        Multiaddr.Parse("/ip4/127.0.0.1/tcp/30303"),
        Multiaddr.Parse("/ip6/::1/tcp/4001").WithPeerId(peer),
        Multiaddr.Parse("/dns4/example.org/tcp/443"),
    ];
}
