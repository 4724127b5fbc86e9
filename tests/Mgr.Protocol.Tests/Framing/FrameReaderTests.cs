using System.IO.Pipelines;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Tests.Messages;

namespace Mgr.Protocol.Tests.Framing;

public sealed class FrameReaderTests
{
    [Fact]
    public async Task Carries_every_sample_message_through_a_pipe()
    {
        var pipe = new Pipe();
        var writer = new FrameWriter(pipe.Writer);
        var reader = new FrameReader(pipe.Reader);
        (string Name, IMessage Message)[] samples = [.. MessageSamples.All()];

        Task writing = Task.Run(async () =>
        {
            foreach ((_, IMessage message) in samples) await writer.WriteAsync(message, CancellationToken.None);
            await pipe.Writer.CompleteAsync();
        });
        var received = new List<IMessage>();
        while (await reader.ReadMessageAsync(Limits.ProtocolVersion, CancellationToken.None) is { } message) received.Add(message);
        await writing;

        Assert.Equal(samples.Length, received.Count);
        for (int i = 0; i < samples.Length; i++)
            Assert.Equal(MessageVectorTests.Payload(samples[i].Message), MessageVectorTests.Payload(received[i]));
    }

    [Fact]
    public async Task Reassembles_frames_delivered_one_byte_at_a_time()
    {
        byte[] bytes = [.. MessageSamples.All().SelectMany(sample => FrameCodec.Encode(sample.Message))];
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);

        Task writing = Task.Run(async () =>
        {
            foreach (byte b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }
            await pipe.Writer.CompleteAsync();
        });
        int count = 0;
        while (await reader.ReadAsync(CancellationToken.None) is not null) count++;
        await writing;

        Assert.Equal(MessageSamples.All().Count(), count);
    }

    [Fact]
    public async Task Reports_a_stream_that_ends_inside_a_frame()
    {
        byte[] frame = FrameCodec.Encode(new Unavailable(5, UnavailableReason.Busy));
        var reader = FrameReader.Create(new MemoryStream(frame[..^1]));

        ProtocolViolationException error = await Assert.ThrowsAsync<ProtocolViolationException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(ViolationReason.Truncated, error.Reason);
    }

    [Fact]
    public async Task Reads_and_writes_through_plain_streams()
    {
        var stream = new MemoryStream();
        await FrameWriter.Create(stream).WriteAsync(new Disconnect(DisconnectReason.UselessPeer), CancellationToken.None);
        stream.Position = 0;
        var reader = FrameReader.Create(stream);

        IMessage? message = await reader.ReadMessageAsync(1, CancellationToken.None);
        Frame? end = await reader.ReadAsync(CancellationToken.None);

        Assert.Equal(new Disconnect(DisconnectReason.UselessPeer), message);
        Assert.Null(end);
    }

    [Fact]
    public async Task Fails_on_an_oversized_frame_without_waiting_for_its_body()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        await pipe.Writer.WriteAsync(new byte[] { 0xff, 0xff, 0xff, 0x7f });

        ProtocolViolationException error = await Assert.ThrowsAsync<ProtocolViolationException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(ViolationReason.FrameTooLarge, error.Reason);
    }

    [Fact]
    public async Task Reassembles_a_large_frame_delivered_in_64_KiB_pieces()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        var random = new Random(3);
        ReadOnlyMemory<byte>[] codes = [.. Enumerable.Range(0, 16).Select(_ =>
        {
            var code = new byte[200_000];
            random.NextBytes(code);
            return (ReadOnlyMemory<byte>)code;
        })];
        var large = new ByteCodes(9, codes);

        byte[] frame = FrameCodec.Encode(large);

        Task writing = Task.Run(async () =>
        {
            for (int offset = 0; offset < frame.Length; offset += 65_536)
                await pipe.Writer.WriteAsync(frame.AsMemory(offset, Math.Min(65_536, frame.Length - offset)));
            await pipe.Writer.CompleteAsync();
        });
        IMessage? received = await reader.ReadMessageAsync(1, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await writing;

        Assert.Equal(MessageVectorTests.Payload(large), MessageVectorTests.Payload(received!));
    }
}
