using System.Buffers;
using System.IO.Pipelines;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Framing;

/// <summary>Reads frames from a pipe (or a stream through <see cref="Create(Stream, FrameTimeout?, FrameMemoryBudget?)"/>). Leaves at most one
/// frame's bytes (≤ <see cref="Limits.MaxFrameBytes"/>) unconsumed. With a <see cref="FrameTimeout"/>, a frame that is
/// started must be finished in time; with a <see cref="FrameMemoryBudget"/>, a large frame is read only once its cost is
/// reserved there, and the reservation is handed to the caller with the frame (<see cref="TakeLease"/>). Not thread-safe:
/// one reading loop per stream.</summary>
public sealed class FrameReader(PipeReader reader, FrameTimeout? timeout = null, TimeProvider? time = null, FrameMemoryBudget? budget = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private ulong _partialFrameLength; // announced length of the frame being received (0 while unknown)
    private FrameMemoryLease? _lease;  // the budget reserved for the frame being received or just returned

    /// <summary>A reader over <paramref name="stream"/>, which stays open.</summary>
    public static FrameReader Create(Stream stream, FrameTimeout? timeout = null, FrameMemoryBudget? budget = null) =>
        new(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), timeout, budget: budget);

    /// <summary>The reservation made for the frame the last read returned (null for a small frame, or without a
    /// budget); the caller disposes it once done with the frame's message. Not taken, it is released by the next read.</summary>
    public FrameMemoryLease? TakeLease() => Interlocked.Exchange(ref _lease, null);

    /// <summary>The next frame, or null when the peer closed the stream between frames.</summary>
    /// <exception cref="ProtocolViolationException">Bad framing (see <see cref="FrameCodec.TryRead"/>), the stream
    /// ended inside a frame (<see cref="ViolationReason.Truncated"/>), or a started frame did not arrive within the
    /// <see cref="FrameTimeout"/> (<see cref="ViolationReason.Timeout"/>).</exception>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellation)
    {
        TakeLease()?.Dispose();
        try
        {
            return await ReadFrameAsync(cancellation).ConfigureAwait(false);
        }
        catch
        {
            TakeLease()?.Dispose();
            throw;
        }
    }

    private async ValueTask<Frame?> ReadFrameAsync(CancellationToken cancellation)
    {
        long frameStarted = 0;
        while (true)
        {
            ReadResult result = frameStarted == 0 || timeout is null
                ? await reader.ReadAsync(cancellation).ConfigureAwait(false)
                : await ReadBeforeAsync(frameStarted, cancellation).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (budget is not null && _lease is null && LargeFrameCost(buffer) is > 0 and long cost)
            {
                // Wait for room before decompressing or buffering more of the body; the pipe stays as read meanwhile.
                // The peer's time for the frame starts once we can take it.
                _lease = await budget.ReserveAsync(cost, cancellation).ConfigureAwait(false);
                frameStarted = _time.GetTimestamp();
            }
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

    // The cost of the frame at the front of `buffer` when it is large enough to need the budget, else 0 (also while its
    // length prefix or snappy header has not arrived yet). Limits were checked by FrameCodec.TryRead already.
    private long LargeFrameCost(ReadOnlySequence<byte> buffer)
    {
        if (UnsignedVarint.TryRead(buffer, out ulong frameLength, out int prefix) != VarintStatus.Ok) return 0;
        // The snappy header (a little-endian base-128 length of at most 5 bytes) follows the code byte.
        Span<byte> header = stackalloc byte[6];
        if (buffer.Length < prefix + header.Length) return 0;
        buffer.Slice(prefix, header.Length).CopyTo(header);
        long payload = 0;
        for (int i = 1; i < header.Length; i++)
        {
            payload |= (long)(header[i] & 0x7f) << (7 * (i - 1));
            if ((header[i] & 0x80) == 0) break;
        }
        payload = Math.Min(payload, Math.Min(Limits.MaxPayloadBytes, (long)frameLength * FrameCodec.MaxSnappyExpansion));
        long cost = (long)frameLength + 2 * payload;
        return cost >= budget!.LargeFrameBytes ? cost : 0;
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
        try
        {
            return frame is { } value ? MessageDecoder.Decode(value.Code, value.Payload.Span, agreedVersion) : null;
        }
        catch
        {
            TakeLease()?.Dispose();
            throw;
        }
    }
}
