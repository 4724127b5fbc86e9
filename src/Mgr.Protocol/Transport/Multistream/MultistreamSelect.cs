using System.Buffers;
using Mgr.Protocol.Encoding;

namespace Mgr.Protocol.Transport.Multistream;

/// <summary>multistream-select 1.0: agrees on one protocol id over a fresh channel (a raw connection, a secured
/// connection or a muxed stream). Messages are varint-length-prefixed UTF-8 lines ending in '\n'.</summary>
/// <remarks>Reads exactly the negotiation's bytes, never past them, so whatever the other side sends right after
/// (a Noise handshake, protocol data) stays in <c>stream</c> for the next layer. Bounded: messages are at most
/// <see cref="MaxMessageLength"/> bytes and a listener refuses at most <see cref="MaxProposals"/> proposals.
/// Cancel through the token for timeouts. Failures throw <see cref="MultistreamException"/>.</remarks>
public static class MultistreamSelect
{
    /// <summary>The multistream-select protocol id, sent first by both sides.</summary>
    public const string ProtocolId = "/multistream/1.0.0";

    /// <summary>Longest message accepted, newline included: protocol ids are short paths; go and js use similar caps.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>Unsupported proposals a listener answers with "na" before giving up: a dialer tries a handful of
    /// versions at most, so more is a peer wasting our time.</summary>
    public const int MaxProposals = 16;

    private const string NotAvailable = "na";
    private const string List = "ls";

    /// <summary>Dialer side: proposes <paramref name="protocols"/> in order and returns the first one the listener accepts.</summary>
    /// <exception cref="MultistreamException">With <see cref="MultistreamError.NotSupported"/> when every proposal is refused.</exception>
    public static async ValueTask<string> SelectAsync(Stream stream, IReadOnlyList<string> protocols, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(protocols);
        if (protocols.Count == 0) throw new ArgumentException("Propose at least one protocol.", nameof(protocols));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(2 * (MaxMessageLength + UnsignedVarint.MaxLength));
        try
        {
            int length = WriteMessage(ProtocolId, buffer);
            length += WriteMessage(protocols[0], buffer.AsSpan(length));
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
            await ExpectAsync(stream, ProtocolId, buffer, cancellation).ConfigureAwait(false);
            for (int i = 0; ; i++)
            {
                int read = await ReadMessageAsync(stream, buffer, cancellation).ConfigureAwait(false);
                ReadOnlySpan<byte> answer = buffer.AsSpan(0, read);
                if (Matches(answer, protocols[i])) return protocols[i];
                if (!Matches(answer, NotAvailable)) throw Violation($"Expected '{protocols[i]}' or 'na', got '{Describe(answer)}'.");
                if (i + 1 == protocols.Count)
                {
                    throw new MultistreamException(MultistreamError.NotSupported, $"The other side supports none of: {string.Join(", ", protocols)}.");
                }
                length = WriteMessage(protocols[i + 1], buffer);
                await stream.WriteAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
                await stream.FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Listener side: answers proposals until one is in <paramref name="supported"/> (echoing it back) and
    /// returns it; answers "ls" with the supported list and anything else with "na".</summary>
    /// <exception cref="MultistreamException">When the dialer breaks the protocol or exceeds the limits.</exception>
    public static async ValueTask<string> ListenAsync(Stream stream, IReadOnlyCollection<string> supported, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(supported);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxMessageLength + UnsignedVarint.MaxLength);
        try
        {
            int length = WriteMessage(ProtocolId, buffer);
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
            await ExpectAsync(stream, ProtocolId, buffer, cancellation).ConfigureAwait(false);
            for (int refused = 0; ; )
            {
                int read = await ReadMessageAsync(stream, buffer, cancellation).ConfigureAwait(false);
                ReadOnlySpan<byte> proposal = buffer.AsSpan(0, read);
                string? chosen = Find(supported, proposal);
                if (chosen is not null)
                {
                    length = WriteMessage(chosen, buffer);
                    await stream.WriteAsync(buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
                    await stream.FlushAsync(cancellation).ConfigureAwait(false);
                    return chosen;
                }
                if (++refused > MaxProposals)
                {
                    throw new MultistreamException(MultistreamError.TooManyProposals, $"More than {MaxProposals} unsupported proposals.");
                }
                byte[] reply = Matches(proposal, List) ? EncodeList(supported) : EncodeMessage(NotAvailable);
                await stream.WriteAsync(reply, cancellation).ConfigureAwait(false);
                await stream.FlushAsync(cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One message: varint(length) ‖ UTF-8 text ‖ '\n'.</summary>
    public static byte[] EncodeMessage(string text)
    {
        var bytes = new byte[UnsignedVarint.MaxLength + System.Text.Encoding.UTF8.GetByteCount(text) + 1];
        return bytes[..WriteMessage(text, bytes)];
    }

    private static int WriteMessage(string text, Span<byte> destination)
    {
        int textLength = System.Text.Encoding.UTF8.GetByteCount(text);
        if (textLength == 0 || textLength + 1 > MaxMessageLength || text.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{text}' cannot be a multistream message.", nameof(text));
        }
        int prefix = UnsignedVarint.Write((ulong)(textLength + 1), destination);
        System.Text.Encoding.UTF8.GetBytes(text, destination[prefix..]);
        destination[prefix + textLength] = (byte)'\n';
        return prefix + textLength + 1;
    }

    // ls reply: varint(total) then each protocol as its own message, then a lone '\n'.
    private static byte[] EncodeList(IReadOnlyCollection<string> supported)
    {
        using var body = new MemoryStream();
        foreach (string protocol in supported) body.Write(EncodeMessage(protocol));
        body.WriteByte((byte)'\n');
        Span<byte> prefix = stackalloc byte[UnsignedVarint.MaxLength];
        int prefixLength = UnsignedVarint.Write((ulong)body.Length, prefix);
        var reply = new byte[prefixLength + body.Length];
        prefix[..prefixLength].CopyTo(reply);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(reply.AsSpan(prefixLength));
        return reply;
    }

    private static async ValueTask ExpectAsync(Stream stream, string expected, byte[] buffer, CancellationToken cancellation)
    {
        int read = await ReadMessageAsync(stream, buffer, cancellation).ConfigureAwait(false);
        if (!Matches(buffer.AsSpan(0, read), expected))
        {
            throw Violation($"Expected '{expected}', got '{Describe(buffer.AsSpan(0, read))}'.");
        }
    }

    // Reads one message into buffer and returns the text length (without the '\n'). Reads the varint a byte at a
    // time so nothing past the message is consumed.
    private static async ValueTask<int> ReadMessageAsync(Stream stream, byte[] buffer, CancellationToken cancellation)
    {
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            await ReadExactlyAsync(stream, buffer.AsMemory(0, 1), cancellation).ConfigureAwait(false);
            byte b = buffer[0];
            length |= (b & 0x7f) << shift;
            if (length > MaxMessageLength || (b == 0 && shift > 0) || shift > 7)
            {
                throw new MultistreamException(MultistreamError.MessageTooLong, $"Message longer than {MaxMessageLength} bytes.");
            }
            if ((b & 0x80) == 0) break;
        }
        if (length == 0) throw Violation("Empty message.");
        await ReadExactlyAsync(stream, buffer.AsMemory(0, length), cancellation).ConfigureAwait(false);
        if (buffer[length - 1] != (byte)'\n') throw Violation("Message does not end with a newline.");
        return length - 1;
    }

    private static async ValueTask ReadExactlyAsync(Stream stream, Memory<byte> destination, CancellationToken cancellation)
    {
        try
        {
            await stream.ReadExactlyAsync(destination, cancellation).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new MultistreamException(MultistreamError.EndOfStream, "The channel closed during negotiation.", e);
        }
    }

    private static string? Find(IReadOnlyCollection<string> supported, ReadOnlySpan<byte> proposal)
    {
        foreach (string protocol in supported)
        {
            if (Matches(proposal, protocol)) return protocol;
        }
        return null;
    }

    private static bool Matches(ReadOnlySpan<byte> message, string text)
    {
        if (message.Length != System.Text.Encoding.UTF8.GetByteCount(text)) return false;
        Span<byte> expected = stackalloc byte[MaxMessageLength];
        int written = System.Text.Encoding.UTF8.GetBytes(text, expected);
        return message.SequenceEqual(expected[..written]);
    }

    private static string Describe(ReadOnlySpan<byte> message) =>
        System.Text.Encoding.UTF8.GetString(message[..Math.Min(message.Length, 64)]);

    private static MultistreamException Violation(string message) => new(MultistreamError.ProtocolViolation, message);
}
