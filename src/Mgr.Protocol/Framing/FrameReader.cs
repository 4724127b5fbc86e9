using System.Buffers;
using System.IO.Pipelines;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Framing;

/// <summary>Reads frames from a pipe (or a stream through <see cref="Create(Stream, FrameTimeout?)"/>). Leaves at most one
/// frame's bytes (≤ <see cref="Limits.MaxFrameBytes"/>) unconsumed. With a <see cref="FrameTimeout"/>, a frame that is
/// started must be finished in time. Not thread-safe: one reading loop per stream.</summary>
public sealed class FrameReader(PipeReader reader, FrameTimeout? timeout = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private ulong _partialFrameLength; // announced length of the frame being received (0 while unknown)

    /// <summary>A reader over <paramref name="stream"/>, which stays open.</summary>
    public static FrameReader Create(Stream stream, FrameTimeout? timeout = null) =>
        new(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), timeout);

    /// <summary>The next frame, or null when the peer closed the stream between frames.</summary>
    /// <exception cref="ProtocolViolationException">Bad framing (see <see cref="FrameCodec.TryRead"/>), the stream
    /// ended inside a frame (<see cref="ViolationReason.Truncated"/>), or a started frame did not arrive within the
    /// <see cref="FrameTimeout"/> (<see cref="ViolationReason.Timeout"/>).</exception>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellation)
    {
        long frameStarted = 0;
        while (true)
        {
            ReadResult result = frameStarted == 0 || timeout is null
                ? await reader.ReadAsync(cancellation).ConfigureAwait(false)
                : await ReadBeforeAsync(frameStarted, cancellation).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool complete;
            Frame frame;
            try
            {
                complete = FrameCodec.TryRead(ref buffer, out frame);
            }
            catch
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }
            if (complete)
            {
                reader.AdvanceTo(buffer.Start);
                return frame;
            }
            if (!buffer.IsEmpty && frameStarted == 0) frameStarted = _time.GetTimestamp();
            _partialFrameLength = UnsignedVarint.TryRead(buffer, out ulong length, out _) == VarintStatus.Ok ? length : 0;
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                if (buffer.IsEmpty) return null;
                throw new ProtocolViolationException(ViolationReason.Truncated, "stream ended inside a frame");
            }
        }
    }

    // Reads more of a started frame, failing with a Timeout violation once the frame's time is up (slowloris).
    private async ValueTask<ReadResult> ReadBeforeAsync(long frameStarted, CancellationToken cancellation)
    {
        TimeSpan allowed = timeout!.For(_partialFrameLength);
        TimeSpan left = allowed - _time.GetElapsedTime(frameStarted);
        if (left <= TimeSpan.Zero) throw new ProtocolViolationException(ViolationReason.Timeout, $"frame not completed within {allowed.TotalSeconds:F0} s");
        using var timer = new CancellationTokenSource(left, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timer.Token);
        try
        {
            return await reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ProtocolViolationException(ViolationReason.Timeout, $"frame not completed within {allowed.TotalSeconds:F0} s");
        }
    }

    /// <summary>Reads and decodes the next message, or null at the end of the stream.</summary>
    public async ValueTask<IMessage?> ReadMessageAsync(ulong agreedVersion, CancellationToken cancellation)
    {
        Frame? frame = await ReadAsync(cancellation).ConfigureAwait(false);
        return frame is { } value ? MessageDecoder.Decode(value.Code, value.Payload.Span, agreedVersion) : null;
    }
}
