using System.Buffers;
using System.IO.Pipelines;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Framing;

/// <summary>Reads frames from a pipe (or a stream through <see cref="Create(Stream)"/>). Leaves at most one frame's
/// bytes (≤ <see cref="Limits.MaxFrameBytes"/>) unconsumed. Not thread-safe: one reading loop per stream.</summary>
public sealed class FrameReader(PipeReader reader)
{
    /// <summary>A reader over <paramref name="stream"/>, which stays open.</summary>
    public static FrameReader Create(Stream stream) => new(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)));

    /// <summary>The next frame, or null when the peer closed the stream between frames.</summary>
    /// <exception cref="ProtocolViolationException">Bad framing (see <see cref="FrameCodec.TryRead"/>), or the stream
    /// ended inside a frame (<see cref="ViolationReason.Truncated"/>).</exception>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellation)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellation).ConfigureAwait(false);
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
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                if (buffer.IsEmpty) return null;
                throw new ProtocolViolationException(ViolationReason.Truncated, "stream ended inside a frame");
            }
        }
    }

    /// <summary>Reads and decodes the next message, or null at the end of the stream.</summary>
    public async ValueTask<IMessage?> ReadMessageAsync(ulong agreedVersion, CancellationToken cancellation)
    {
        Frame? frame = await ReadAsync(cancellation).ConfigureAwait(false);
        return frame is { } value ? MessageDecoder.Decode(value.Code, value.Payload.Span, agreedVersion) : null;
    }
}
