using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Mgr.Node.Tests.Telemetry;

/// <summary>A minimal OTLP/gRPC receiver for tests: cleartext HTTP/2 with prior knowledge (h2c) on 127.0.0.1, enough of
/// RFC 9113 for one client sending unary calls: the preface, SETTINGS and PING acks, HEADERS and DATA per stream, and
/// a gRPC OK answer (status 200, an empty response message, trailer grpc-status 0). Request headers are not decoded
/// (that would need HPACK with Huffman); the gRPC message of each finished stream goes to the test.</summary>
internal sealed class OtlpGrpcCollector : IAsyncDisposable
{
    private const int FrameHeaderBytes = 9;
    private const byte Data = 0, Headers = 1, Settings = 4, Ping = 6, GoAway = 7, WindowUpdate = 8, Continuation = 9;
    private const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8;
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<byte[]> _messages = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public OtlpGrpcCollector()
    {
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = Task.Run(AcceptAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>The protobuf message of the next finished call, without its 5-byte gRPC prefix.</summary>
    public async Task<byte[]> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _messages.Reader.ReadAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }
        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            try
            {
                byte[] preface = new byte[Preface.Length];
                await stream.ReadExactlyAsync(preface, _stop.Token);
                if (!preface.AsSpan().SequenceEqual(Preface)) return;
                await WriteFrameAsync(stream, Settings, 0, 0, []);
                var bodies = new Dictionary<int, MemoryStream>();
                byte[] header = new byte[FrameHeaderBytes];
                while (true)
                {
                    await stream.ReadExactlyAsync(header, _stop.Token);
                    int length = (header[0] << 16) | (header[1] << 8) | header[2];
                    byte type = header[3], flags = header[4];
                    int streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff);
                    byte[] payload = new byte[length];
                    await stream.ReadExactlyAsync(payload, _stop.Token);
                    switch (type)
                    {
                        case Settings when (flags & Ack) == 0:
                            await WriteFrameAsync(stream, Settings, Ack, 0, []);
                            break;
                        case Ping when (flags & Ack) == 0:
                            await WriteFrameAsync(stream, Ping, Ack, 0, payload);
                            break;
                        case Headers or Continuation:
                            bodies.TryAdd(streamId, new MemoryStream());
                            if ((flags & EndStream) != 0) await FinishAsync(stream, streamId, bodies);
                            break;
                        case Data:
                            bodies.TryAdd(streamId, new MemoryStream());
                            bodies[streamId].Write(Unpadded(payload, flags));
                            if (length > 0)
                            {
                                byte[] increment = new byte[4];
                                BinaryPrimitives.WriteUInt32BigEndian(increment, (uint)length);
                                await WriteFrameAsync(stream, WindowUpdate, 0, 0, increment);
                                await WriteFrameAsync(stream, WindowUpdate, 0, streamId, increment);
                            }
                            if ((flags & EndStream) != 0) await FinishAsync(stream, streamId, bodies);
                            break;
                        case GoAway:
                            return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or ObjectDisposedException)
            {
                // The client closed the connection or the collector is stopping.
            }
        }
    }

    private async Task FinishAsync(NetworkStream stream, int streamId, Dictionary<int, MemoryStream> bodies)
    {
        byte[] body = bodies[streamId].ToArray();
        bodies.Remove(streamId);
        // gRPC length-prefixed message: 1 byte compressed flag, 4 bytes big-endian length.
        if (body.Length >= 5 && body[0] == 0) _messages.Writer.TryWrite(body[5..]);
        await WriteFrameAsync(stream, Headers, EndHeaders, streamId, ResponseHeaders());
        await WriteFrameAsync(stream, Data, 0, streamId, [0, 0, 0, 0, 0]);
        await WriteFrameAsync(stream, Headers, EndHeaders | EndStream, streamId, Trailers());
    }

    // HPACK: ":status: 200" is static index 8; content-type (static index 31) as a literal without indexing.
    private static byte[] ResponseHeaders()
    {
        var block = new List<byte> { 0x88, 0x0f, 31 - 15, 16 };
        block.AddRange("application/grpc"u8.ToArray());
        return [.. block];
    }

    // HPACK: "grpc-status: 0" as a literal without indexing with a new name.
    private static byte[] Trailers()
    {
        var block = new List<byte> { 0x00, 11 };
        block.AddRange("grpc-status"u8.ToArray());
        block.Add(1);
        block.Add((byte)'0');
        return [.. block];
    }

    private static ReadOnlySpan<byte> Unpadded(byte[] payload, byte flags)
    {
        if ((flags & Padded) == 0) return payload;
        int pad = payload[0];
        return payload.AsSpan(1, payload.Length - 1 - pad);
    }

    private async Task WriteFrameAsync(NetworkStream stream, byte type, int flags, int streamId, byte[] payload)
    {
        byte[] frame = new byte[FrameHeaderBytes + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = (byte)flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.CopyTo(frame, FrameHeaderBytes);
        await stream.WriteAsync(frame, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }
}
