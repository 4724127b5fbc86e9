using System.Buffers;
using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Transport.Identify;

/// <summary>The Identify exchange on one stream: the identified side writes one varint-length-prefixed
/// <see cref="IdentifyMessage"/> and closes; the asking side reads it, bounded by <see cref="IdentifyLimits.MaxMessageBytes"/>.</summary>
/// <remarks>Stream negotiation (multistream-select) and closing are the caller's; these methods only move the message.</remarks>
public static class IdentifyExchange
{
    /// <summary>Writes <paramref name="message"/> with its length prefix and flushes.</summary>
    /// <exception cref="ArgumentException">When the message encodes to more than <see cref="IdentifyLimits.MaxMessageBytes"/>.</exception>
    public static async ValueTask SendAsync(Stream stream, IdentifyMessage message, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(message);
        int length = message.EncodedLength;
        if (length > IdentifyLimits.MaxMessageBytes) throw new ArgumentException($"Identify message of {length} bytes exceeds {IdentifyLimits.MaxMessageBytes}.", nameof(message));
        int prefix = UnsignedVarint.LengthOf((ulong)length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(prefix + length);
        try
        {
            UnsignedVarint.Write((ulong)length, buffer);
            message.WriteTo(buffer.AsSpan(prefix, length));
            await stream.WriteAsync(buffer.AsMemory(0, prefix + length), cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one length-prefixed Identify message.</summary>
    /// <exception cref="IdentifyException">Oversized, truncated or malformed input, with its <see cref="IdentifyError"/>.</exception>
    public static async ValueTask<IdentifyMessage> ReceiveAsync(Stream stream, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int length = await ReadLengthPrefixAsync(stream, cancellation).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            try
            {
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new IdentifyException(IdentifyError.Truncated, $"The stream ended inside a {length}-byte identify message.", e);
            }
            return IdentifyMessage.Decode(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<int> ReadLengthPrefixAsync(Stream stream, CancellationToken cancellation)
    {
        byte[] prefix = new byte[UnsignedVarint.MaxLength];
        for (int count = 0; count < prefix.Length; count++)
        {
            if (await stream.ReadAsync(prefix.AsMemory(count, 1), cancellation).ConfigureAwait(false) == 0)
            {
                throw new IdentifyException(IdentifyError.Truncated, "The stream ended before the identify message.");
            }
            switch (UnsignedVarint.TryRead(prefix.AsSpan(0, count + 1), out ulong value, out _))
            {
                case VarintStatus.Ok when value > IdentifyLimits.MaxMessageBytes:
                    throw new IdentifyException(IdentifyError.MessageTooLarge, $"Identify message announced as {value} bytes; at most {IdentifyLimits.MaxMessageBytes} are accepted.");
                case VarintStatus.Ok:
                    return (int)value;
                case VarintStatus.Invalid:
                    throw new IdentifyException(IdentifyError.BadLengthPrefix, "Identify length prefix is not a minimal varint.");
            }
            if (count >= 2)
            {
                // Three varint bytes already exceed any allowed length (8 KiB needs two).
                throw new IdentifyException(IdentifyError.MessageTooLarge, $"Identify length prefix announces more than {IdentifyLimits.MaxMessageBytes} bytes.");
            }
        }
        throw new IdentifyException(IdentifyError.BadLengthPrefix, "Identify length prefix is too long.");
    }
}
