using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Mgr.Protocol.Tests.TestSupport;

/// <summary>Connected pairs of duplex streams for protocol tests: in memory (pipes) or real TCP on 127.0.0.1.</summary>
public static class DuplexPipe
{
    /// <summary>Two in-memory ends: what one writes, the other reads. Disposing an end is a clean close.</summary>
    public static (Stream Left, Stream Right) CreateInMemory()
    {
        var leftToRight = new Pipe();
        var rightToLeft = new Pipe();
        return (new PipeEnd(rightToLeft.Reader, leftToRight.Writer), new PipeEnd(leftToRight.Reader, rightToLeft.Writer));
    }

    /// <summary>Two ends of a real TCP connection on the loopback interface.</summary>
    public static async Task<(Stream Client, Stream Server)> CreateTcpAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient { NoDelay = true };
        Task<TcpClient> accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        TcpClient server = await accept;
        server.NoDelay = true;
        return (client.GetStream(), server.GetStream());
    }

    private sealed class PipeEnd(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _in = reader.AsStream();
        private readonly Stream _out = writer.AsStream();

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _in.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _out.WriteAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _in.ReadAsync(buffer, offset, count, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _out.WriteAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _in.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => _out.Write(buffer, offset, count);
        public override void Flush() => _out.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _out.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                writer.Complete();
                reader.Complete();
            }
            base.Dispose(disposing);
        }
    }
}
