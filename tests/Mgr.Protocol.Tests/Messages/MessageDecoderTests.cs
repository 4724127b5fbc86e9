using System.Buffers;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>Seeded mutation fuzzing: whatever a peer sends, decoding ends in a message or a typed violation.</summary>
public sealed class MessageDecoderTests
{
    public static TheoryData<int> Seeds() => [11, 12, 13, 14];

    [Theory, MemberData(nameof(Seeds))]
    public void Mutated_payloads_decode_or_fail_with_a_typed_violation(int seed)
    {
        var random = new Random(seed);
        (string Name, IMessage Message)[] samples = [.. MessageSamples.All()];
        for (int iteration = 0; iteration < 4000; iteration++)
        {
            IMessage message = samples[random.Next(samples.Length)].Message;
            byte[] payload = Mutate(MessageVectorTests.Payload(message), random);

            try
            {
                IMessage decoded = MessageDecoder.Decode((byte)message.Code, payload);
                Assert.Equal(payload, MessageVectorTests.Payload(decoded));
            }
            catch (ProtocolViolationException)
            {
                // expected for most mutations
            }
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void Mutated_frames_read_or_fail_with_a_typed_violation(int seed)
    {
        var random = new Random(seed);
        (string Name, IMessage Message)[] samples = [.. MessageSamples.All()];
        for (int iteration = 0; iteration < 4000; iteration++)
        {
            byte[] frame = Mutate(FrameCodec.Encode(samples[random.Next(samples.Length)].Message), random);
            var buffer = new ReadOnlySequence<byte>(frame);

            try
            {
                if (FrameCodec.TryRead(ref buffer, out Frame read)) _ = MessageDecoder.Decode(read.Code, read.Payload.Span);
            }
            catch (ProtocolViolationException)
            {
                // expected for most mutations
            }
        }
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        byte[] bytes = (byte[])input.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                int at = random.Next(bytes.Length);
                return [.. bytes[..at], (byte)random.Next(256), .. bytes[at..]];
            default:
                int cut = random.Next(bytes.Length);
                return [.. bytes[..cut], .. bytes[Math.Min(bytes.Length, cut + 1 + random.Next(4))..]];
        }
    }
}
