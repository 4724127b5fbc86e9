using System.Buffers;
using System.Threading.Channels;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The session's write loop: the only writer of the connection. It gathers queued frames into one pooled
/// buffer and writes it when the buffer is full or the queue is empty (then it flushes and returns the buffer).</summary>
/// <remarks>Stream data is copied out of the writer's memory under the stream's lock, never held across I/O. A
/// stream whose data does not fit goes back to the end of the queue, so one busy stream cannot starve the others
/// (or delay their window updates).</remarks>
internal sealed class YamuxFrameWriter(
    Stream connection,
    ChannelReader<OutboundFrame> queue,
    int bufferBytes,
    Func<OutboundFrame, bool> requeue,
    Action releaseControlFrame)
{
    /// <summary>Smallest data frame worth starting in a partly filled buffer.</summary>
    private const int MinDataChunk = 1024;

    /// <summary>Runs until the queue is completed and drained; connection failures propagate to the caller.</summary>
    public async Task RunAsync(CancellationToken abort)
    {
        byte[]? buffer = null;
        int used = 0;
        bool unflushed = false;
        try
        {
            while (true)
            {
                if (!queue.TryRead(out OutboundFrame frame))
                {
                    if (used > 0)
                    {
                        await connection.WriteAsync(buffer.AsMemory(0, used), abort).ConfigureAwait(false);
                        used = 0;
                        unflushed = true;
                    }
                    if (unflushed)
                    {
                        await connection.FlushAsync(abort).ConfigureAwait(false);
                        unflushed = false;
                    }
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                    if (!await queue.WaitToReadAsync(abort).ConfigureAwait(false)) return;
                    continue;
                }
                buffer ??= ArrayPool<byte>.Shared.Rent(bufferBytes);
                int needed = frame.Kind == OutboundKind.StreamData ? YamuxFrameHeader.Size + MinDataChunk : YamuxFrameHeader.Size;
                if (buffer.Length - used < needed)
                {
                    await connection.WriteAsync(buffer.AsMemory(0, used), abort).ConfigureAwait(false);
                    used = 0;
                    unflushed = true;
                }
                if (frame.Kind == OutboundKind.StreamData)
                {
                    int taken = frame.Stream!.TakeData(buffer.AsSpan(used + YamuxFrameHeader.Size), out bool more);
                    if (taken > 0)
                    {
                        new YamuxFrameHeader(YamuxFrameType.Data, YamuxFlags.None, frame.StreamId, (uint)taken).WriteTo(buffer.AsSpan(used));
                        used += YamuxFrameHeader.Size + taken;
                    }
                    if (more) requeue(frame);
                }
                else if (TryEncodeControl(frame, out YamuxFrameHeader header))
                {
                    header.WriteTo(buffer.AsSpan(used));
                    used += YamuxFrameHeader.Size;
                }
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool TryEncodeControl(OutboundFrame frame, out YamuxFrameHeader header)
    {
        header = default;
        switch (frame.Kind)
        {
            case OutboundKind.StreamControl:
                if (!frame.Stream!.TryTakeControl(out YamuxFlags flags, out uint delta)) return false;
                header = new YamuxFrameHeader(YamuxFrameType.WindowUpdate, flags, frame.StreamId, delta);
                return true;
            case OutboundKind.StreamFin:
                if (frame.Stream!.HasFailed) return false;
                header = new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, frame.StreamId, 0);
                return true;
            case OutboundKind.StreamReset:
                header = new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, frame.StreamId, 0);
                return true;
            case OutboundKind.CountedReset:
                releaseControlFrame();
                header = new YamuxFrameHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, frame.StreamId, 0);
                return true;
            case OutboundKind.PingRequest:
                header = new YamuxFrameHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, frame.Value);
                return true;
            case OutboundKind.PingResponse:
                releaseControlFrame();
                header = new YamuxFrameHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, frame.Value);
                return true;
            case OutboundKind.GoAway:
                header = new YamuxFrameHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, frame.Value);
                return true;
            default:
                return false;
        }
    }
}
