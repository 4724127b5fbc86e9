using Mgr.Fuzz.Engine;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>NoiseHandshakePayload.Decode (the protobuf a peer sends inside the handshake). Oracle: an accepted payload
/// re-encodes to its input when it is in canonical field order. Documented failure: <see cref="NoiseException"/>.
/// Budget: 8 KiB + 16 B per input byte (copies of the key and signature; muxer names become UTF-16 strings in a growing list).</summary>
internal sealed class NoisePayloadTarget : FuzzTarget
{
    public override string Name => "noise-payload";

    public override InputFormat Format => InputFormat.Protobuf;

    public override AllocationBudget Budget => new(8192, 16);

    public override IEnumerable<byte[]> Seeds()
    {
        using var key = FuzzKeys.Key(2);
        byte[] signature = key.Sign(NoiseSecurity.SignedMessage(new byte[32]));
        yield return new NoiseHandshakePayload(key.PublicKey.Encode(), signature, []).Encode();
        yield return new NoiseHandshakePayload(key.PublicKey.Encode(), signature, ["/yamux/1.0.0"]).Encode();
    }

    public override string Execute(byte[] input)
    {
        NoiseHandshakePayload payload = NoiseHandshakePayload.Decode(input);
        return payload.StreamMuxers.Count == 0 ? "no-muxers" : "muxers";
    }

    public override string? Classify(Exception error) => error is NoiseException noise ? $"noise:{noise.Reason}" : null;
}
