using System.Diagnostics;
using System.Threading.Channels;

namespace Mgr.Protocol.Tests.Transport.Yamux;

/// <summary>One end of an in-memory link where every write becomes readable only after a fixed one-way delay
/// (pipelined, like a long wire). Unbounded: use it only under a flow-controlled protocol.</summary>
public sealed class LatencyDuplexStream : Stream
{
    private readonly ChannelReader<(long Due, byte[] Data)> _input;
    private readonly ChannelWriter<(long Due, byte[] Data)> _output;
    private readonly long _delayTicks;
    private byte[] _current = [];
    private int _offset;

    private LatencyDuplexStream(ChannelReader<(long, byte[])> input, ChannelWriter<(long, byte[])> output, TimeSpan delay)
    {
        _input = input;
        _output = output;
        _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
    }

    public static (LatencyDuplexStream A, LatencyDuplexStream B) CreatePair(TimeSpan oneWayDelay)
    {
        var aToB = Channel.CreateUnbounded<(long, byte[])>();
        var bToA = Channel.CreateUnbounded<(long, byte[])>();
        return (new LatencyDuplexStream(bToA.Reader, aToB.Writer, oneWayDelay), new LatencyDuplexStream(aToB.Reader, bToA.Writer, oneWayDelay));
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _current.Length)
        {
            if (!await _input.WaitToReadAsync(cancellationToken) || !_input.TryRead(out var item)) return 0;
            TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), item.Due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            _current = item.Data;
            _offset = 0;
        }
        int count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        return count;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_output.TryWrite((Stopwatch.GetTimestamp() + _delayTicks, buffer.ToArray()))) throw new IOException("The link is closed.");
        return ValueTask.CompletedTask;
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
        if (disposing) _output.TryComplete();
        base.Dispose(disposing);
    }
}
