using System.Buffers.Binary;
using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>Noise transport frames after a real handshake. The input is a list of records <c>kind ‖ u16 length ‖
/// bytes</c>: an even kind sends the bytes through the peer's real NoiseStream (valid encrypted frames, split at the
/// 65535-byte frame limit), an odd kind writes them raw into the connection (torn, forged, oversized or replayed
/// frames). The peer then closes and the local NoiseStream is read to the end. Documented failure:
/// <see cref="NoiseException"/>; a clean end-of-stream is a verdict. Budget: 640 KiB + 64 B per input byte,
/// process-wide (a handshake per input).</summary>
internal sealed class NoiseTransportTarget : StreamTarget
{
    private static readonly Lazy<NoiseSecurity> Reader = new(() => new NoiseSecurity(Protocol.FuzzKeys.Key(13)));
    private static readonly Lazy<NoiseSecurity> Writer = new(() => new NoiseSecurity(Protocol.FuzzKeys.Key(14)));

    public override string Name => "noise-transport";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(640 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() =>
    [
        Record(0, "hello"u8), [.. Record(0, "one"u8), .. Record(0, new byte[300]), .. Record(1, [0x00, 0x10, .. new byte[16]])],
        Record(1, NoiseTranscript.Frame(new byte[40])), Record(1, [0xff, 0xff, 0x00]), [.. Record(0, "a"u8), .. Record(1, [0x00])],
    ];

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        await using var pair = new DuplexPair();
        Task<NoiseStream> outbound = Reader.Value.SecureOutboundAsync(pair.Local, null, cancellation);
        Task<NoiseStream> inbound = Writer.Value.SecureInboundAsync(pair.Remote, cancellation);
        await using NoiseStream local = await outbound;
        await using NoiseStream remote = await inbound;

        for (int position = 0; position + 3 <= input.Length;)
        {
            byte kind = input[position];
            int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(position + 1)), input.Length - position - 3);
            ReadOnlyMemory<byte> bytes = input.AsMemory(position + 3, length);
            if (kind % 2 == 0) await remote.WriteAsync(bytes, cancellation);
            else await pair.SendFromRemoteAsync(bytes, cancellation);
            position += 3 + length;
        }
        await pair.CompleteRemoteOutputAsync();

        var buffer = new byte[4096];
        long total = 0;
        while (true)
        {
            int read = await local.ReadAsync(buffer, cancellation);
            if (read == 0) return total == 0 ? "clean-empty" : "clean";
            total += read;
        }
    }

    public override string? Classify(Exception error) => error is NoiseException noise ? $"noise:{noise.Reason}" : null;

    private static byte[] Record(byte kind, ReadOnlySpan<byte> bytes)
    {
        var record = new byte[3 + bytes.Length];
        record[0] = kind;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(1), (ushort)bytes.Length);
        bytes.CopyTo(record.AsSpan(3));
        return record;
    }
}
