using System.Buffers;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Framing;

/// <summary>The MGR frame format (spec/mgr-protocol.md §1): <c>uvarint(length) ‖ code ‖ snappy_block(payload)</c>,
/// with every size limit checked before anything is decompressed. Pure functions over buffers, independent of
/// the transport; <see cref="FrameReader"/> and <see cref="FrameWriter"/> drive them over pipes.</summary>
public static class FrameCodec
{
    /// <summary>Snappy cannot expand input by more than this factor (a 3-byte copy yields at most 64 bytes), so a
    /// larger announced length is corrupt — checked so a tiny frame cannot make us allocate 16 MiB.</summary>
    public const int MaxSnappyExpansion = 22;

    // Snappy's length header is a varint of at most 5 bytes (32 bits).
    private const int MaxSnappyHeaderBytes = 5;

    /// <summary>Writes <paramref name="message"/> as one frame.</summary>
    /// <exception cref="ArgumentException">When the encoded message exceeds <see cref="Limits.MaxPayloadBytes"/>.</exception>
    public static void Write(IBufferWriter<byte> output, IMessage message)
    {
        int length = message.EncodedLength();
        if (length > Limits.MaxPayloadBytes) throw new ArgumentException($"{message.Code} of {length} bytes exceeds the payload limit.", nameof(message));
        byte[] payload = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            message.WriteTo(payload.AsSpan(0, length));
            Write(output, (byte)message.Code, payload.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>Writes a frame with an already encoded payload.</summary>
    public static void Write(IBufferWriter<byte> output, byte code, ReadOnlySpan<byte> payload)
    {
        if (payload.Length is 0 or > Limits.MaxPayloadBytes) throw new ArgumentException($"Payload of {payload.Length} bytes is outside 1..{Limits.MaxPayloadBytes}.", nameof(payload));
        byte[] compressed = IronSnappy.Snappy.Encode(payload);
        int frameLength = 1 + compressed.Length;
        int prefix = UnsignedVarint.LengthOf((ulong)frameLength);
        Span<byte> target = output.GetSpan(prefix + frameLength);
        UnsignedVarint.Write((ulong)frameLength, target);
        target[prefix] = code;
        compressed.CopyTo(target[(prefix + 1)..]);
        output.Advance(prefix + frameLength);
    }

    /// <summary>Encodes one message as a framed byte array (tests, vectors, tools).</summary>
    public static byte[] Encode(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one frame from the front of <paramref name="buffer"/> and slices it off.</summary>
    /// <returns>False when more bytes are needed (the buffer is left untouched).</returns>
    /// <exception cref="ProtocolViolationException">A bad length prefix, a frame or payload over its limit, or a
    /// corrupt snappy block; the stream cannot be resynchronised after this.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out Frame frame)
    {
        frame = default;
        VarintStatus status = UnsignedVarint.TryRead(buffer, out ulong frameLength, out int prefix);
        if (status == VarintStatus.Invalid || (status == VarintStatus.Ok && prefix > Limits.MaxFrameLengthPrefixBytes)
            || (status == VarintStatus.NeedMore && buffer.Length >= Limits.MaxFrameLengthPrefixBytes))
            ProtocolViolationException.Throw(ViolationReason.InvalidFrameLength, "frame length prefix is non-minimal or longer than 4 bytes");
        if (status == VarintStatus.NeedMore) return false;
        if (frameLength > Limits.MaxFrameBytes) ProtocolViolationException.Throw(ViolationReason.FrameTooLarge, $"frame of {frameLength} bytes");
        if (frameLength < 2) ProtocolViolationException.Throw(ViolationReason.EmptyFrame, $"frame of {frameLength} bytes");
        if (buffer.Length < prefix + (long)frameLength) return false;

        ReadOnlySequence<byte> body = buffer.Slice(prefix, (long)frameLength);
        byte code = body.FirstSpan[0];
        ReadOnlySequence<byte> block = body.Slice(1);
        frame = new Frame(code, Decompress(block));
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Uncompressed length announced by a snappy block's header, checked against the limits.</summary>
    /// <exception cref="ProtocolViolationException"><see cref="ViolationReason.PayloadTooLarge"/> or <see cref="ViolationReason.CorruptCompression"/>.</exception>
    public static int ReadPayloadLength(ReadOnlySpan<byte> block)
    {
        ulong length = 0;
        for (int i = 0; ; i++)
        {
            if (i == MaxSnappyHeaderBytes || i == block.Length) ProtocolViolationException.Throw(ViolationReason.CorruptCompression, "bad snappy length header");
            length |= (ulong)(block[i] & 0x7f) << (7 * i);
            if ((block[i] & 0x80) == 0) break;
        }
        if (length is 0 or > Limits.MaxPayloadBytes) ProtocolViolationException.Throw(ViolationReason.PayloadTooLarge, $"payload of {length} bytes");
        if (length > (ulong)block.Length * MaxSnappyExpansion) ProtocolViolationException.Throw(ViolationReason.CorruptCompression, "announced length beyond snappy's expansion");
        return (int)length;
    }

    private static byte[] Decompress(ReadOnlySequence<byte> block)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (block.IsSingleSegment) span = block.FirstSpan;
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)block.Length);
                block.CopyTo(rented);
                span = rented.AsSpan(0, (int)block.Length);
            }
            int expected = ReadPayloadLength(span);
            byte[] payload;
            try
            {
                payload = IronSnappy.Snappy.Decode(span);
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or IndexOutOfRangeException or ArgumentException)
            {
                throw new ProtocolViolationException(ViolationReason.CorruptCompression, "snappy block does not decode", error);
            }
            if (payload.Length != expected) ProtocolViolationException.Throw(ViolationReason.CorruptCompression, "snappy block decodes to another length");
            return payload;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
