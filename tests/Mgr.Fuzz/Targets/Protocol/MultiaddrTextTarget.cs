using System.Text;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Addressing;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>Multiaddr.Parse (addresses typed by the operator or found in config and bootnode lists). Documented failure:
/// <see cref="MultiaddrException"/>. Budget: 8 KiB + 16 B per input byte.</summary>
internal sealed class MultiaddrTextTarget : FuzzTarget
{
    public override string Name => "multiaddr-text";

    public override InputFormat Format => InputFormat.Text;

    public override AllocationBudget Budget => new(8192, 16);

    public override IEnumerable<byte[]> Seeds()
    {
        using var key = FuzzKeys.Key(5);
        return [.. FuzzKeys.Addresses(key.PeerId).Select(address => Encoding.UTF8.GetBytes(address.ToString()))];
    }

    public override string Execute(byte[] input)
    {
        Multiaddr address = Multiaddr.Parse(Encoding.UTF8.GetString(input));
        if (Multiaddr.Decode(address.Bytes) != address) throw new FuzzOracleException("parsed address does not decode back from its bytes");
        return address.Components[0].Protocol.ToString();
    }

    public override string? Classify(Exception error) => error is MultiaddrException multiaddr ? $"multiaddr:{multiaddr.Reason}" : null;
}
