using System.IO.Pipelines;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Framing;

/// <summary><see cref="FrameReader"/> with a <see cref="FrameTimeout"/>: a started frame must finish in time (slowloris),
/// silence between frames is allowed.</summary>
public sealed class FrameTimeoutTests
{
    private static readonly FrameTimeout Short = new(TimeSpan.FromMilliseconds(300), 64 * 1024);

    [Fact]
    public async Task A_frame_dribbled_slower_than_its_timeout_is_a_timeout_violation()
    {
        byte[] frame = FrameCodec.Encode(new Unavailable(5, UnavailableReason.Busy));
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader, Short);
        using var stop = new CancellationTokenSource();
        Task dribbling = Task.Run(async () =>
        {
            foreach (byte b in frame[..^1])
            {
                await pipe.Writer.WriteAsync(new[] { b });
                await Task.Delay(200, stop.Token);
            }
        });

        ProtocolViolationException error = await Assert.ThrowsAsync<ProtocolViolationException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal(ViolationReason.Timeout, error.Reason);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dribbling);
    }

    [Fact]
    public async Task Silence_between_frames_is_not_a_timeout()
    {
        byte[] frame = FrameCodec.Encode(new Unavailable(5, UnavailableReason.Busy));
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader, Short);

        Task<Frame?> reading = reader.ReadAsync(CancellationToken.None).AsTask();
        await Task.Delay(Short.Base * 3);
        await pipe.Writer.WriteAsync(frame);

        Frame? received = await reading;
        Assert.Equal((byte)MessageCode.Unavailable, received?.Code);
    }

    [Fact]
    public void A_large_frame_gets_time_in_proportion_to_its_length()
    {
        var timeout = new FrameTimeout(TimeSpan.FromSeconds(10), 64 * 1024);

        Assert.Equal(TimeSpan.FromSeconds(10), timeout.For(0));
        Assert.Equal(TimeSpan.FromSeconds(74), timeout.For(4 * 1024 * 1024));
    }
}
