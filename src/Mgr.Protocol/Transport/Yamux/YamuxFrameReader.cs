using System.Buffers;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>The read loop's view of the connection: one pooled buffer, refilled as frames are consumed.</summary>
/// <remarks>While nothing is buffered the reader holds no buffer: it returns it to the pool, waits for data with a
/// zero-byte read and rents it again, so an idle session costs no read buffer. Used by one read loop at a time.</remarks>
internal sealed class YamuxFrameReader(Stream connection, int bufferBytes) : IDisposable
{
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _disposed;

    public int BufferedCount => _end - _start;

    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Whether a pooled buffer is held now (false while waiting idle for data).</summary>
    internal bool HoldsBuffer => _buffer is not null;

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
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_start == _end)
        {
            _start = _end = 0;
            ReturnBuffer();
            // A zero-byte read waits until data arrives; its result says nothing (end of stream shows in the read below).
            await connection.ReadAsync(Memory<byte>.Empty, cancellation).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(_disposed, this);
            _buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        }
        else if (_start > 0 && _end == _buffer!.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int read = await connection.ReadAsync(_buffer!.AsMemory(_end), cancellation).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    public void Dispose()
    {
        _disposed = true;
        ReturnBuffer();
    }

    private void ReturnBuffer()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}
