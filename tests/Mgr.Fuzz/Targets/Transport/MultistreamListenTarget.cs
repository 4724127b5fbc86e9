using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Multistream;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>multistream-select, listener side, against a dialer that sends the input and closes. Documented failure:
/// <see cref="MultistreamException"/>. Budget: 256 KiB + 64 B per input byte, process-wide (pipes, async state machines,
/// "na" replies).</summary>
internal sealed class MultistreamListenTarget : StreamTarget
{
    private static readonly string[] TokenTexts = ["/multistream/1.0.0\n", "na\n", "ls\n", "/noise\n", "\n"];
    private static readonly string[] Supported = ["/noise", "/yamux/1.0.0", "/mgr/1"];

    public override string Name => "multistream-listen";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(256 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() =>
    [
        [.. MultistreamSelect.EncodeMessage(MultistreamSelect.ProtocolId), .. MultistreamSelect.EncodeMessage("/noise")],
        [.. MultistreamSelect.EncodeMessage(MultistreamSelect.ProtocolId), .. MultistreamSelect.EncodeMessage("/tls/1.0.0"), .. MultistreamSelect.EncodeMessage("ls"), .. MultistreamSelect.EncodeMessage("/mgr/1")],
    ];

    public override IEnumerable<byte[]> Tokens() => [.. TokenTexts.Select(System.Text.Encoding.UTF8.GetBytes)];

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        await using DuplexPair pair = await ConnectionFromAsync(input, cancellation);
        return await MultistreamSelect.ListenAsync(pair.Local, Supported, cancellation);
    }

    public override string? Classify(Exception error) => error is MultistreamException multistream ? $"multistream:{multistream.Reason}" : null;
}
