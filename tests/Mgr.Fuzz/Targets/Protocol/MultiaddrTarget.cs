using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Addressing;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>Multiaddr.Decode (binary addresses from identify and peer records). Oracles: an accepted address keeps its
/// bytes, and its text form parses back to the same address. Documented failure: <see cref="MultiaddrException"/>.
/// Budget: 8 KiB + 16 B per input byte (component list, text form).</summary>
internal sealed class MultiaddrTarget : FuzzTarget
{
    public override string Name => "multiaddr";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(8192, 16);

    public override IEnumerable<byte[]> Seeds()
    {
        using var key = FuzzKeys.Key(4);
        return [.. FuzzKeys.Addresses(key.PeerId).Select(address => address.Bytes.ToArray())];
    }

    public override IEnumerable<byte[]> Tokens() => [[0x04], [0x06], [0x29], [0x35], [0x36], [0x37], [0x38], [0xa5, 0x03], [0x91, 0x02], [0xcc, 0x03]];

    public override string Execute(byte[] input)
    {
        Multiaddr address = Multiaddr.Decode(input);
        if (!address.Bytes.SequenceEqual(input)) throw new FuzzOracleException("accepted multiaddr changed its bytes");
        string text = address.ToString();
        if (Multiaddr.Parse(text) != address) throw new FuzzOracleException($"text form '{text}' does not parse back to the same address");
        return address.Components[0].Protocol.ToString() + (address.PeerId is null ? string.Empty : "+peer");
    }

    public override string? Classify(Exception error) => error is MultiaddrException multiaddr ? $"multiaddr:{multiaddr.Reason}" : null;
}
