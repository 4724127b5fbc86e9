using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Multistream;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>multistream-select, dialer side, against a listener that answers with the input and closes. Documented
/// failure: <see cref="MultistreamException"/>. Budget: 256 KiB + 64 B per input byte, process-wide.</summary>
internal sealed class MultistreamSelectTarget : StreamTarget
{
    private static readonly string[] Proposals = ["/noise", "/tls/1.0.0"];

    public override string Name => "multistream-select";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(256 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() =>
    [
        [.. MultistreamSelect.EncodeMessage(MultistreamSelect.ProtocolId), .. MultistreamSelect.EncodeMessage("/noise")],
        [.. MultistreamSelect.EncodeMessage(MultistreamSelect.ProtocolId), .. MultistreamSelect.EncodeMessage("na"), .. MultistreamSelect.EncodeMessage("/tls/1.0.0")],
    ];

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        await using DuplexPair pair = await ConnectionFromAsync(input, cancellation);
        return await MultistreamSelect.SelectAsync(pair.Local, Proposals, cancellation);
    }

    public override string? Classify(Exception error) => error is MultistreamException multistream ? $"multistream:{multistream.Reason}" : null;
}
