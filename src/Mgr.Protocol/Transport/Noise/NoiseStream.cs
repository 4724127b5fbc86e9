using System.Buffers;
using System.Buffers.Binary;
using Mgr.Protocol.Identity;

namespace Mgr.Protocol.Transport.Noise;

/// <summary>A connection secured by Noise: a duplex <see cref="Stream"/> whose writes are split into
/// length-prefixed ChaChaPoly frames and whose reads return decrypted plaintext.</summary>
/// <remarks>
/// Concurrency: one reader at a time, and any number of writers (writes are serialised, each call's bytes stay
/// contiguous on the wire). Each <c>WriteAsync</c> is encrypted and sent at once, in one socket write when it fits
/// <see cref="MaxBatchBytes"/>: give it whole messages (header and payload together), not many tiny pieces.
/// Memory: buffers come from <see cref="ArrayPool{T}"/> and are held only while data is in flight; an idle
/// connection holds none (reads first wait with a zero-byte read on the transport). A zero-byte read returns once
/// plaintext or a whole frame is buffered, so a caller can wait for data before renting its own buffer.
/// Errors: a frame that fails authentication, a frame too short for its tag or a connection that ends inside a
/// frame throw <see cref="NoiseException"/>; the stream is then unusable and should be disposed. A clean end of
/// the transport at a frame boundary reads as end of stream (0).
/// </remarks>
public sealed class NoiseStream : Stream
{
    /// <summary>Largest Noise message (the 2-byte length prefix's range).</summary>
    public const int MaxFrameLength = 65535;

    /// <summary>Most plaintext one frame carries.</summary>
    public const int MaxPlaintextPerFrame = MaxFrameLength - NoiseCipher.TagLength;

    /// <summary>Most ciphertext one write call sends in a single transport write (eight full frames: a 256 KiB muxer batch goes out in one write).</summary>
    public const int MaxBatchBytes = 8 * (2 + MaxFrameLength);

    private const int ReceiveBufferLength = 2 * (2 + MaxFrameLength);

    private readonly Stream _transport;
    private readonly NoiseCipher _send;
    private readonly NoiseCipher _receive;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private byte[]? _receiveBuffer;
    private int _receiveStart;   // first unread byte (frame data or plaintext) in _receiveBuffer
    private int _receiveEnd;     // end of bytes read from the transport
    private int _plaintextEnd;   // when > _receiveStart: decrypted plaintext waiting in [_receiveStart, _plaintextEnd)
    private bool _disposed;

    internal NoiseStream(Stream transport, NoiseCipher send, NoiseCipher receive, PublicKey remotePublicKey, PeerId remotePeer)
    {
        _transport = transport;
        _send = send;
        _receive = receive;
        RemotePublicKey = remotePublicKey;
        RemotePeer = remotePeer;
    }

    /// <summary>The identity key the peer proved it holds.</summary>
    public PublicKey RemotePublicKey { get; }

    /// <summary>The peer's authenticated id.</summary>
    public PeerId RemotePeer { get; }

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (_plaintextEnd > _receiveStart) return TakePlaintext(buffer.Span);
            if (_receiveBuffer is null || _receiveEnd == _receiveStart)
            {
                // Nothing buffered: wait for data without holding a buffer, then rent one.
                ReleaseReceiveBufferIfEmpty();
                await _transport.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                if (buffer.Length == 0) return 0;
                _receiveBuffer ??= ArrayPool<byte>.Shared.Rent(ReceiveBufferLength);
                if (!await FillAsync(cancellationToken).ConfigureAwait(false)) return 0;
                continue;
            }
            int available = _receiveEnd - _receiveStart;
            int frameLength = available >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(_receiveBuffer.AsSpan(_receiveStart)) : -1;
            if (frameLength < 0 || available < 2 + frameLength)
            {
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new NoiseException(NoiseError.Truncated, "The connection closed inside a Noise frame.");
                }
                continue;
            }
            if (frameLength < NoiseCipher.TagLength) throw new NoiseException(NoiseError.MalformedMessage, "Noise frame shorter than its tag.");
            // A zero-byte read only waits for data: a whole frame is here, so leave it to be decrypted straight into
            // the caller's next buffer rather than in place and copied.
            if (buffer.Length == 0) return 0;
            Span<byte> ciphertext = _receiveBuffer.AsSpan(_receiveStart + 2, frameLength);
            int plaintextLength = frameLength - NoiseCipher.TagLength;
            if (plaintextLength == 0)
            {
                _receive.Decrypt([], ciphertext, []);
                Consume(2 + frameLength);
                continue;
            }
            if (buffer.Length >= plaintextLength)
            {
                _receive.Decrypt([], ciphertext, buffer.Span);
                Consume(2 + frameLength);
                return plaintextLength;
            }
            _receive.Decrypt([], ciphertext, ciphertext);
            _receiveStart += 2;
            _plaintextEnd = _receiveStart + plaintextLength;
            // The tag bytes after the plaintext are skipped once the plaintext is consumed (see TakePlaintext).
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty) return;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        byte[]? batch = null;
        try
        {
            int frames = (buffer.Length + MaxPlaintextPerFrame - 1) / MaxPlaintextPerFrame;
            batch = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBatchBytes, buffer.Length + frames * (2 + NoiseCipher.TagLength)));
            int filled = 0;
            while (!buffer.IsEmpty)
            {
                int chunk = Math.Min(buffer.Length, MaxPlaintextPerFrame);
                if (batch.Length - filled < 2 + chunk + NoiseCipher.TagLength)
                {
                    await _transport.WriteAsync(batch.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    filled = 0;
                }
                int sealedLength = _send.Encrypt([], buffer.Span[..chunk], batch.AsSpan(filled + 2));
                BinaryPrimitives.WriteUInt16BigEndian(batch.AsSpan(filled), (ushort)sealedLength);
                filled += 2 + sealedLength;
                buffer = buffer[chunk..];
            }
            await _transport.WriteAsync(batch.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (batch is not null) ArrayPool<byte>.Shared.Return(batch);
            _writeGate.Release();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _transport.FlushAsync(cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() => _transport.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _transport.DisposeAsync().ConfigureAwait(false);
            _send.Dispose();
            _receive.Dispose();
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _transport.Dispose();
            _send.Dispose();
            _receive.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Sets the send counter (tests use it to reach the nonce limit).</summary>
    internal void SetSendNonceForTest(ulong nonce) => _send.SetNonceForTest(nonce);

    private int TakePlaintext(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _plaintextEnd - _receiveStart);
        _receiveBuffer.AsSpan(_receiveStart, count).CopyTo(destination);
        _receiveStart += count;
        if (_receiveStart == _plaintextEnd)
        {
            _receiveStart += NoiseCipher.TagLength;
            _plaintextEnd = 0;
            if (_receiveStart == _receiveEnd) _receiveStart = _receiveEnd = 0;
        }
        return count;
    }

    private void Consume(int count)
    {
        _receiveStart += count;
        if (_receiveStart == _receiveEnd) _receiveStart = _receiveEnd = 0;
    }

    private void ReleaseReceiveBufferIfEmpty()
    {
        if (_receiveBuffer is null || _receiveEnd != _receiveStart) return;
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = null;
        _receiveStart = _receiveEnd = 0;
    }

    // Reads more transport bytes after the unread ones, moving them to the front first when the tail is short.
    private async ValueTask<bool> FillAsync(CancellationToken cancellation)
    {
        byte[] buffer = _receiveBuffer!;
        if (_receiveStart > 0 && buffer.Length - _receiveEnd < 2 + MaxFrameLength)
        {
            int unread = _receiveEnd - _receiveStart;
            buffer.AsSpan(_receiveStart, unread).CopyTo(buffer);
            _receiveStart = 0;
            _receiveEnd = unread;
        }
        int read = await _transport.ReadAsync(buffer.AsMemory(_receiveEnd), cancellation).ConfigureAwait(false);
        _receiveEnd += read;
        return read > 0;
    }
}
