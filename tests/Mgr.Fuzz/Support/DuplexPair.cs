using System.IO.Pipelines;

namespace Mgr.Fuzz.Support;

/// <summary>Two in-memory stream ends joined by pipes: what one writes the other reads. Completing an end's output
/// (<see cref="CompleteRemoteOutputAsync"/>) is the remote closing its side: the other end then reads end-of-stream. Writers never
/// block (no back-pressure), so a harness can play one side by writing all its bytes up front.</summary>
internal sealed class DuplexPair : IAsyncDisposable
{
    private static readonly PipeOptions Unbounded = new(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);

    private readonly Pipe _toLocal = new(Unbounded);
    private readonly Pipe _toRemote = new(Unbounded);

    public DuplexPair()
    {
        Local = new End(_toLocal.Reader, _toRemote.Writer);
        Remote = new End(_toRemote.Reader, _toLocal.Writer);
    }

    /// <summary>The end given to the code under test.</summary>
    public Stream Local { get; }

    /// <summary>The end the harness plays the peer with.</summary>
    public Stream Remote { get; }

    /// <summary>Writes raw bytes as the remote peer.</summary>
    public async ValueTask SendFromRemoteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellation)
    {
        await _toLocal.Writer.WriteAsync(bytes, cancellation).ConfigureAwait(false);
    }

    /// <summary>The remote peer closes its sending side.</summary>
    public ValueTask CompleteRemoteOutputAsync() => _toLocal.Writer.CompleteAsync();

    public async ValueTask DisposeAsync()
    {
        await Local.DisposeAsync().ConfigureAwait(false);
        await Remote.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class End(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream _input = input.AsStream(leaveOpen: false);
        private readonly Stream _output = output.AsStream(leaveOpen: false);

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override void Flush() => _output.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _output.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
