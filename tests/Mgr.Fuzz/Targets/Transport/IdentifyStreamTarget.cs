using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Identify;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>IdentifyExchange.ReceiveAsync: a length-prefixed identify message from a peer that then closes.
/// Documented failure: <see cref="IdentifyException"/>. Budget: 256 KiB + 64 B per input byte, process-wide.</summary>
internal sealed class IdentifyStreamTarget : StreamTarget
{
    public override string Name => "identify-stream";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(256 * 1024, 64);

    public override IEnumerable<byte[]> Seeds()
    {
        foreach (byte[] message in new Protocol.IdentifyMessageTarget().Seeds())
        {
            using var output = new MemoryStream();
            Engine.ProtobufFields.WriteVarint(output, (ulong)message.Length);
            output.Write(message);
            yield return output.ToArray();
        }
    }

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        await using DuplexPair pair = await ConnectionFromAsync(input, cancellation);
        IdentifyMessage message = await IdentifyExchange.ReceiveAsync(pair.Local, cancellation);
        return message.Protocols.Count == 0 ? "no-protocols" : "protocols";
    }

    public override string? Classify(Exception error) => error is IdentifyException identify ? $"identify:{identify.Reason}" : null;
}
