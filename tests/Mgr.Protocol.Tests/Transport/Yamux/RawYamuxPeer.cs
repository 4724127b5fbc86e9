using System.Buffers.Binary;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Yamux;

/// <summary>A hand-driven peer that writes raw Yamux frames (well-formed or not) and reads the session's frames.</summary>
public sealed class RawYamuxPeer(Stream connection) : IAsyncDisposable
{
    public Stream Connection { get; } = connection;

    public async Task SendAsync(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length, byte[]? payload = null)
    {
        var header = new byte[YamuxFrameHeader.Size];
        new YamuxFrameHeader(type, flags, streamId, length).WriteTo(header);
        await SendRawAsync(header);
        if (payload is not null) await SendRawAsync(payload);
    }

    public async Task SendRawAsync(byte[] bytes)
    {
        await Connection.WriteAsync(bytes);
        await Connection.FlushAsync();
    }

    /// <summary>Reads the next frame (skipping its payload); null at end of stream.</summary>
    public async Task<(YamuxFrameHeader Header, byte[] Payload)?> ReadFrameAsync(CancellationToken cancellation = default)
    {
        var header = new byte[YamuxFrameHeader.Size];
        if (!await ReadExactlyOrEndAsync(header, cancellation)) return null;
        YamuxFrameHeader parsed = YamuxFrameHeader.Read(header);
        var payload = parsed.Type == YamuxFrameType.Data ? new byte[parsed.Length] : [];
        if (payload.Length > 0 && !await ReadExactlyOrEndAsync(payload, cancellation)) return null;
        return (parsed, payload);
    }

    /// <summary>Reads frames until one matches; null if the stream ends first.</summary>
    public async Task<YamuxFrameHeader?> ReadUntilAsync(Func<YamuxFrameHeader, bool> match, CancellationToken cancellation = default)
    {
        while (await ReadFrameAsync(cancellation) is { } frame)
        {
            if (match(frame.Header)) return frame.Header;
        }
        return null;
    }

    public static byte[] Header(byte version, byte type, ushort flags, uint streamId, uint length)
    {
        var bytes = new byte[YamuxFrameHeader.Size];
        bytes[0] = version;
        bytes[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), streamId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellation)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read;
            try
            {
                read = await Connection.ReadAsync(buffer.AsMemory(filled), cancellation);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            if (read == 0) return false;
            filled += read;
        }
        return true;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
