using System.Buffers;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The read loop's view of the connection: one pooled buffer, refilled as frames are consumed.</summary>
internal sealed class YamuxFrameReader(Stream connection, int bufferBytes) : IDisposable
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
    private int _start;
    private int _end;

    public int BufferedCount => _end - _start;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Buffers at least <paramref name="minimum"/> bytes. False on end of stream before any byte of
    /// them arrived; a stream that ends part-way fails with <see cref="YamuxError.ConnectionClosed"/>.</summary>
    public async ValueTask<bool> FillAsync(int minimum, CancellationToken cancellation)
    {
        while (BufferedCount < minimum)
        {
            if (!await ReadMoreAsync(cancellation).ConfigureAwait(false))
            {
                if (BufferedCount == 0) return false;
                throw new YamuxException(YamuxError.ConnectionClosed, "The connection ended inside a frame header.");
            }
        }
        return true;
    }

    /// <summary>Reads more bytes from the connection, compacting first; false at end of stream.</summary>
    public async ValueTask<bool> ReadMoreAsync(CancellationToken cancellation)
    {
        byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(YamuxFrameReader));
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && _end == buffer.Length)
        {
            Buffer.BlockCopy(buffer, _start, buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int read = await connection.ReadAsync(buffer.AsMemory(_end), cancellation).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
