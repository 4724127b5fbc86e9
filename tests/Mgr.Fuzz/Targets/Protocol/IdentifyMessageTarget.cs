using Mgr.Fuzz.Engine;
using Mgr.Protocol.Transport.Identify;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>IdentifyMessage.Decode (a peer's identify answer). Documented failure: <see cref="IdentifyException"/>.
/// Budget: 16 KiB + 8 B per input byte (copied addresses, UTF-8 strings become UTF-16).</summary>
internal sealed class IdentifyMessageTarget : FuzzTarget
{
    public override string Name => "identify-message";

    public override InputFormat Format => InputFormat.Protobuf;

    public override AllocationBudget Budget => new(16 * 1024, 8);

    public override IEnumerable<byte[]> Seeds()
    {
        using var key = FuzzKeys.Key(3);
        var message = new IdentifyMessage
        {
            ProtocolVersion = "ipfs/0.1.0", AgentVersion = "mgr/fuzz", PublicKey = key.PublicKey.Encode(),
            ListenAddrs = [.. FuzzKeys.Addresses(key.PeerId).Select(address => (ReadOnlyMemory<byte>)address.Bytes.ToArray())],
            ObservedAddr = FuzzKeys.Addresses(key.PeerId).First().Bytes.ToArray(), Protocols = ["/mgr/1", "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"],
        };
        var bytes = new byte[message.EncodedLength];
        message.WriteTo(bytes);
        yield return bytes;
    }

    public override string Execute(byte[] input)
    {
        IdentifyMessage message = IdentifyMessage.Decode(input);
        return message.PublicKey is null ? "anonymous" : "keyed";
    }

    public override string? Classify(Exception error) => error is IdentifyException identify ? $"identify:{identify.Reason}" : null;
}
