using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Identity;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>Keys and peer ids from peers: PublicKey.Decode (then its peer id), PeerId.TryFromMultihash and
/// PeerId.TryParse on the same bytes. Oracles: an accepted key re-encodes to its input, an accepted multihash round-trips.
/// Documented failure: <see cref="KeyFormatException"/>. Budget: 16 KiB + 8 B per input byte (curve-point decoding
/// in BouncyCastle/.NET allocates a few objects; base58 text).</summary>
internal sealed class PublicKeyTarget : FuzzTarget
{
    public override string Name => "public-key";

    public override InputFormat Format => InputFormat.Protobuf;

    public override AllocationBudget Budget => new(16 * 1024, 8);

    public override IEnumerable<byte[]> Seeds()
    {
        using Secp256k1IdentityKey secp = FuzzKeys.Key(1);
        yield return secp.PublicKey.Encode();
        yield return secp.PeerId.Multihash.ToArray();
        yield return Encoding.UTF8.GetBytes(secp.PeerId.ToString());
        yield return PublicKey.Create(KeyType.Ed25519, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()).Encode();
    }

    public override string Execute(byte[] input)
    {
        string verdict = PeerId.TryFromMultihash(input, out PeerId? peer) ? "multihash" : "no-multihash";
        if (peer is not null && !peer.Multihash.SequenceEqual(input)) throw new FuzzOracleException("accepted multihash changed");
        if (input.Length <= 128 && PeerId.TryParse(Encoding.UTF8.GetString(input), out _)) verdict += "+text";
        PublicKey key = PublicKey.Decode(input);
        if (!key.Encode().AsSpan().SequenceEqual(input)) throw new FuzzOracleException("accepted public key re-encodes differently");
        _ = key.ToPeerId();
        return $"{verdict}+{key.Type}";
    }

    public override string? Classify(Exception error) => error is KeyFormatException key ? $"key:{key.Reason}" : null;
}
