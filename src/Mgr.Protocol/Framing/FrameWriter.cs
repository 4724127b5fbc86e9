using System.IO.Pipelines;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Framing;

/// <summary>Writes messages as frames to a pipe (or a stream through <see cref="Create(Stream)"/>), flushing after
/// each. Not thread-safe: one writing loop per stream.</summary>
public sealed class FrameWriter(PipeWriter writer)
{
    /// <summary>A writer over <paramref name="stream"/>, which stays open.</summary>
    public static FrameWriter Create(Stream stream) => new(PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)));

    /// <summary>Frames, writes and flushes <paramref name="message"/>.</summary>
    public async ValueTask WriteAsync(IMessage message, CancellationToken cancellation)
    {
        FrameCodec.Write(writer, message);
        await writer.FlushAsync(cancellation).ConfigureAwait(false);
    }
}
