using System.Buffers.Binary;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>Records the bytes each side sends in a real Noise handshake (seed material for the handshake target).</summary>
internal static class NoiseTranscript
{
    public static (byte[] FromInitiator, byte[] FromResponder) Record()
    {
        return RecordAsync().AsTask().GetAwaiter().GetResult();
    }

    private static async ValueTask<(byte[], byte[])> RecordAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var pair = new DuplexPair();
        await using (pair.ConfigureAwait(false))
        {
            var tap = new TapStream(pair.Local);
            var rtap = new TapStream(pair.Remote);
            Task<NoiseStream> initiator = new NoiseSecurity(Protocol.FuzzKeys.Key(11)).SecureOutboundAsync(tap, null, timeout.Token);
            Task<NoiseStream> responder = new NoiseSecurity(Protocol.FuzzKeys.Key(12)).SecureInboundAsync(rtap, timeout.Token);
            await (await initiator.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            await (await responder.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            return (tap.Written.ToArray(), rtap.Written.ToArray());
        }
    }

    /// <summary>Builds Noise transport frames: <c>u16 length ‖ bytes</c>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var frame = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)body.Length);
        body.CopyTo(frame.AsSpan(2));
        return frame;
    }

    private sealed class TapStream(Stream inner) : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Written.Write(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
