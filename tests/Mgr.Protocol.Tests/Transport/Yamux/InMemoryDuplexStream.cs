using System.Buffers;
using System.IO.Pipelines;

namespace Mgr.Protocol.Tests.Transport.Yamux;

/// <summary>One end of an in-memory duplex connection built from two pipes (bounded, so writers feel backpressure).</summary>
public sealed class InMemoryDuplexStream(PipeReader input, PipeWriter output) : Stream
{
    private volatile bool _disposed;

    /// <summary>Two connected ends; each pipe pauses its writer beyond <paramref name="pauseBytes"/> unread bytes.</summary>
    public static (InMemoryDuplexStream A, InMemoryDuplexStream B) CreatePair(long pauseBytes = 1024 * 1024)
    {
        var options = new PipeOptions(pauseWriterThreshold: pauseBytes, resumeWriterThreshold: pauseBytes / 2, useSynchronizationContext: false);
        var aToB = new Pipe(options);
        var bToA = new Pipe(options);
        return (new InMemoryDuplexStream(bToA.Reader, aToB.Writer), new InMemoryDuplexStream(aToB.Reader, bToA.Writer));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadResult result = await input.ReadAsync(cancellationToken);
        ObjectDisposedException.ThrowIf(result.IsCanceled || _disposed, this);
        int count = (int)Math.Min(result.Buffer.Length, buffer.Length);
        result.Buffer.Slice(0, count).CopyTo(buffer.Span);
        input.AdvanceTo(result.Buffer.GetPosition(count));
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushResult result = await output.WriteAsync(buffer, cancellationToken);
        if (result.IsCompleted) throw new IOException("The other end stopped reading.");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, default).GetAwaiter().GetResult();
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            output.Complete();
            output.CancelPendingFlush();
            input.CancelPendingRead();
            input.Complete(); // the other end's writes now fail instead of waiting for a reader that is gone
        }
        base.Dispose(disposing);
    }
}
