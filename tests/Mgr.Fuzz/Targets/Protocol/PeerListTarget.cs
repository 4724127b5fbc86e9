using Mgr.Fuzz.Engine;
using Mgr.Protocol.Transport.PeerExchange;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>PeerList.Decode (a peer-exchange answer, spec/mgr-protocol.md §1.1). Documented failure:
/// <see cref="PeerExchangeException"/>. Budget: 16 KiB + 8 B per input byte (decoded multiaddrs and their components).</summary>
internal sealed class PeerListTarget : FuzzTarget
{
    public override string Name => "peer-list";

    public override InputFormat Format => InputFormat.Protobuf;

    public override AllocationBudget Budget => new(16 * 1024, 8);

    public override IEnumerable<byte[]> Seeds()
    {
        using var key = FuzzKeys.Key(4);
        yield return PeerList.Encode([.. FuzzKeys.Addresses(key.PeerId).Select(address => address.PeerId is null ? address.WithPeerId(key.PeerId) : address)]);
        yield return PeerList.Encode([]);
    }

    public override string Execute(byte[] input) => $"{PeerList.Decode(input).Count} addresses";

    public override string? Classify(Exception error) => error is PeerExchangeException ? "peer-list" : null;
}
