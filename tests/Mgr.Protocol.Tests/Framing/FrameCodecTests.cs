using System.Buffers;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Framing;

public sealed class FrameCodecTests
{
    private static ProtocolViolationException Rejects(ViolationReason reason, byte[] bytes)
    {
        ProtocolViolationException error = Assert.Throws<ProtocolViolationException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            FrameCodec.TryRead(ref buffer, out _);
        });
        Assert.Equal(reason, error.Reason);
        return error;
    }

    private static byte[] Prefixed(ulong length, params byte[] body)
    {
        var prefix = new byte[UnsignedVarint.LengthOf(length)];
        UnsignedVarint.Write(length, prefix);
        return [.. prefix, .. body];
    }

    [Fact]
    public void Waits_for_the_rest_of_a_frame_without_consuming_it()
    {
        byte[] frame = FrameCodec.Encode(new Disconnect(DisconnectReason.TooManyPeers));

        for (int length = 0; length < frame.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(FrameCodec.TryRead(ref partial, out _));
            Assert.Equal(length, partial.Length);
        }
    }

    [Fact]
    public void Reads_back_to_back_frames_and_leaves_the_rest()
    {
        byte[] first = FrameCodec.Encode(new Disconnect(DisconnectReason.TooManyPeers));
        byte[] second = FrameCodec.Encode(new Unavailable(5, UnavailableReason.Busy));
        var buffer = new ReadOnlySequence<byte>([.. first, .. second, 0x05]);

        Assert.True(FrameCodec.TryRead(ref buffer, out Frame one));
        Assert.True(FrameCodec.TryRead(ref buffer, out Frame two));

        Assert.Equal((byte)MessageCode.Disconnect, one.Code);
        Assert.Equal(new Unavailable(5, UnavailableReason.Busy), MessageDecoder.Decode(two.Code, two.Payload.Span));
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void Rejects_a_frame_over_the_limit_from_its_length_prefix_alone()
    {
        Rejects(ViolationReason.FrameTooLarge, Prefixed(Limits.MaxFrameBytes + 1UL));
    }

    [Fact]
    public void Rejects_a_length_prefix_longer_than_four_bytes()
    {
        Rejects(ViolationReason.InvalidFrameLength, [0x80, 0x80, 0x80, 0x80, 0x01]);
        Rejects(ViolationReason.InvalidFrameLength, [0xff, 0xff, 0xff, 0xff]);
    }

    [Fact]
    public void Rejects_a_non_minimal_length_prefix()
    {
        Rejects(ViolationReason.InvalidFrameLength, [0x85, 0x00, 0x01, 0x02]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Rejects_frames_without_room_for_code_and_block(int length)
    {
        Rejects(ViolationReason.EmptyFrame, Prefixed((ulong)length, 0x00));
    }

    [Fact]
    public void Rejects_a_payload_announced_over_the_limit_before_decompressing()
    {
        var header = new byte[5];
        int headerLength = UnsignedVarint.Write(Limits.MaxPayloadBytes + 1UL, header);
        byte[] body = [0x00, .. header[..headerLength], 0x00];

        Rejects(ViolationReason.PayloadTooLarge, Prefixed((ulong)body.Length, body));
    }

    [Fact]
    public void Rejects_an_empty_payload()
    {
        Rejects(ViolationReason.PayloadTooLarge, Prefixed(2, 0x00, 0x00));
    }

    [Fact]
    public void Rejects_an_announced_length_snappy_could_not_produce_from_the_block()
    {
        // 1 MiB announced by a 4-byte block: more than snappy's maximal expansion allows.
        byte[] body = [0x00, 0x80, 0x80, 0x40, 0x00];

        Rejects(ViolationReason.CorruptCompression, Prefixed((ulong)body.Length, body));
    }

    [Fact]
    public void Rejects_a_corrupt_snappy_block()
    {
        // Announces 10 bytes, then a copy referring back before the start of the output.
        byte[] body = [0x00, 0x0a, 0x01 | (5 << 2), 0x20];

        Rejects(ViolationReason.CorruptCompression, Prefixed((ulong)body.Length, body));
    }

    [Fact]
    public void Rejects_a_block_shorter_than_it_announces()
    {
        // Announces 10 bytes but carries a 3-byte literal.
        byte[] body = [0x00, 0x0a, 0x08, 0x61, 0x62, 0x63];

        Rejects(ViolationReason.CorruptCompression, Prefixed((ulong)body.Length, body));
    }

    [Fact]
    public void Compresses_a_repetitive_payload()
    {
        var codes = new ByteCodes(1, [new byte[100_000]]);

        byte[] frame = FrameCodec.Encode(codes);

        Assert.True(frame.Length < codes.EncodedLength() / 10, $"frame of {frame.Length} bytes");
    }

    [Fact]
    public void Refuses_to_write_a_payload_over_the_limit()
    {
        var codes = new ByteCodes(1, [.. Enumerable.Range(0, 80).Select(_ => (ReadOnlyMemory<byte>)new byte[Limits.MaxCodeBytes])]);

        Assert.Throws<ArgumentException>(() => FrameCodec.Encode(codes));
    }
}
