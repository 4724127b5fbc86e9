using System.Diagnostics;
using System.Security.Cryptography;

namespace Mgr.Protocol.Transport.Ping;

/// <summary>The libp2p ping protocol (<c>/ipfs/ping/1.0.0</c>) on one stream: the dialler sends 32 random bytes
/// and measures how long the echo takes; the listener echoes each 32-byte payload until the dialler closes.</summary>
/// <remarks>Stream negotiation and closing are the caller's. Both sides use only a fixed 32-byte buffer.</remarks>
public static class PingProtocol
{
    /// <summary>The protocol id of ping.</summary>
    public const string ProtocolId = "/ipfs/ping/1.0.0";

    /// <summary>Size of each ping payload, fixed by the spec.</summary>
    public const int PayloadBytes = 32;

    /// <summary>One round on an open ping stream (it may be repeated on the same stream): returns the round-trip time.</summary>
    /// <exception cref="PingException"><see cref="PingError.Mismatch"/> when the echo differs, <see cref="PingError.Truncated"/>
    /// when the stream ends first.</exception>
    public static async ValueTask<TimeSpan> RoundTripAsync(Stream stream, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffers = new byte[2 * PayloadBytes];
        Memory<byte> sent = buffers.AsMemory(0, PayloadBytes), echoed = buffers.AsMemory(PayloadBytes);
        RandomNumberGenerator.Fill(sent.Span);
        long start = Stopwatch.GetTimestamp();
        await stream.WriteAsync(sent, cancellation).ConfigureAwait(false);
        await stream.FlushAsync(cancellation).ConfigureAwait(false);
        if (!await ReadPayloadAsync(stream, echoed, cancellation).ConfigureAwait(false))
        {
            throw new PingException(PingError.Truncated, "The peer closed the ping stream without echoing.");
        }
        TimeSpan roundTrip = Stopwatch.GetElapsedTime(start);
        if (!sent.Span.SequenceEqual(echoed.Span)) throw new PingException(PingError.Mismatch, "The peer echoed different ping bytes.");
        return roundTrip;
    }

    /// <summary>Serves a ping stream: echoes each 32-byte payload until the peer closes its side; returns the number of pings echoed.</summary>
    /// <exception cref="PingException"><see cref="PingError.Truncated"/> when the stream ends inside a payload.</exception>
    public static async ValueTask<int> ServeAsync(Stream stream, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] payload = new byte[PayloadBytes];
        int echoed = 0;
        while (await ReadPayloadAsync(stream, payload, cancellation).ConfigureAwait(false))
        {
            await stream.WriteAsync(payload, cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
            echoed++;
        }
        return echoed;
    }

    /// <summary>Reads exactly one payload; false on a clean end of stream before its first byte.</summary>
    private static async ValueTask<bool> ReadPayloadAsync(Stream stream, Memory<byte> payload, CancellationToken cancellation)
    {
        int filled = 0;
        while (filled < PayloadBytes)
        {
            int read = await stream.ReadAsync(payload[filled..], cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                if (filled == 0) return false;
                throw new PingException(PingError.Truncated, $"The stream ended after {filled} of {PayloadBytes} ping bytes.");
            }
            filled += read;
        }
        return true;
    }
}
