using System.Buffers;
using Mgr.Fuzz.Engine;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Fuzz.Targets.Protocol;

/// <summary>The frame codec: FrameCodec.TryRead over the input as a byte sequence split into two segments at a point
/// chosen by the input's length (so both single- and multi-segment paths run), reading frames until it needs more, and
/// decoding each frame's message. Documented failure: <see cref="ProtocolViolationException"/>. Budget: 16 KiB + 64 B per
/// input byte: snappy may legitimately expand a payload up to <see cref="FrameCodec.MaxSnappyExpansion"/>×, and the
/// decoded message copies it.</summary>
internal sealed class FrameTarget : FuzzTarget
{
    public override string Name => "mgr-frame";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(16 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() => [];

    public override string Execute(byte[] input)
    {
        ReadOnlySequence<byte> buffer = Split(input);
        int frames = 0;
        while (FrameCodec.TryRead(ref buffer, out Frame frame))
        {
            frames++;
            _ = MessageDecoder.Decode(frame.Code, frame.Payload.Span);
        }
        return frames switch { 0 => "need-more", 1 => "one", _ => "several" } + (buffer.IsEmpty ? string.Empty : "+partial");
    }

    public override string? Classify(Exception error) => error is ProtocolViolationException violation ? $"violation:{violation.Reason}" : null;

    private static ReadOnlySequence<byte> Split(byte[] input)
    {
        if (input.Length < 2) return new ReadOnlySequence<byte>(input);
        int cut = input.Length * 7 / 13;
        var first = new Segment(input.AsMemory(0, cut), 0);
        Segment last = first.Append(input.AsMemory(cut));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
