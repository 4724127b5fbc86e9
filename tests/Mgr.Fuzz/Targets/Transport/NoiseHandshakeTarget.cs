using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>The Noise XX handshake against a peer that sends the input and closes. The first input byte picks the role
/// under test (even: responder, odd: initiator); the rest are the peer's handshake frames. Seeds are recorded from real
/// handshakes, so mutants keep the frame structure (their keys are stale, so they fail at the first MAC or
/// signature check: the point is that every byte pattern ends in a typed failure). Documented failure:
/// <see cref="NoiseException"/>. Budget: 512 KiB + 64 B per input byte, process-wide (X25519 and signature checks in
/// BouncyCastle, the 64 KiB handshake buffer on first use).</summary>
internal sealed class NoiseHandshakeTarget : StreamTarget
{
    private static readonly Lazy<NoiseSecurity> Local = new(() => new NoiseSecurity(Protocol.FuzzKeys.Key(10)));

    public override string Name => "noise-handshake";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(512 * 1024, 64);

    public override IEnumerable<byte[]> Seeds()
    {
        (byte[] fromInitiator, byte[] fromResponder) = NoiseTranscript.Record();
        return [[0x00, .. fromInitiator], [0x01, .. fromResponder], [0x00, 0x00, 0x20, .. new byte[32]]];
    }

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        if (input.Length == 0) return "empty";
        await using DuplexPair pair = await ConnectionFromAsync(input[1..], cancellation);
        NoiseStream secured = input[0] % 2 == 0
            ? await Local.Value.SecureInboundAsync(pair.Local, cancellation)
            : await Local.Value.SecureOutboundAsync(pair.Local, null, cancellation);
        await secured.DisposeAsync();
        return "secured";
    }

    public override string? Classify(Exception error) => error is NoiseException noise ? $"noise:{noise.Reason}" : null;
}
