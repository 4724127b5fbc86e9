using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Support;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Fuzz.Targets.Transport;

/// <summary>A Yamux session (listener side, default options) fed the input as the peer's frames, after which the peer
/// closes. Every stream the peer opens is accepted and read to its end. The session must terminate (its
/// <see cref="YamuxSession.Completion"/> completes) within the deadline whatever the frames say; stream reads may fail
/// only with <see cref="YamuxException"/>. Verdict: the termination reason. Budget: 1 MiB + 64 B per input byte,
/// process-wide (session loops, read buffer, per-stream state).</summary>
internal sealed class YamuxTarget : StreamTarget
{
    public override string Name => "yamux";

    public override InputFormat Format => InputFormat.Raw;

    public override AllocationBudget Budget => new(1024 * 1024, 64);

    public override IEnumerable<byte[]> Seeds() =>
    [
        [.. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0), .. Frame(YamuxFrameType.Data, YamuxFlags.None, 1, 5), .. "hello"u8, .. Frame(YamuxFrameType.Data, YamuxFlags.Fin, 1, 0)],
        [.. Frame(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 7), .. Frame(YamuxFrameType.GoAway, YamuxFlags.None, 0, 0)],
        [.. Frame(YamuxFrameType.Data, YamuxFlags.Syn, 3, 3), .. "abc"u8, .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 3, 0), .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 5, 1 << 20)],
    ];

    protected override async ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation)
    {
        await using DuplexPair pair = await ConnectionFromAsync(input, cancellation);
        var session = new YamuxSession(pair.Local, isInitiator: false);
        await using (session)
        {
            var drains = new List<Task>();
            while (await session.AcceptStreamAsync(cancellation) is { } stream) drains.Add(DrainAsync(stream, cancellation));
            YamuxTermination termination = await session.Completion.WaitAsync(cancellation);
            await Task.WhenAll(drains).WaitAsync(cancellation);
            return termination.Reason.ToString();
        }
    }

    public override string? Classify(Exception error) => error is YamuxException yamux ? $"yamux:{yamux.Reason}" : null;

    private static async Task DrainAsync(YamuxStream stream, CancellationToken cancellation)
    {
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, cancellation) > 0)
            {
            }
        }
        catch (YamuxException)
        {
            // A reset or a failed session is a typed end for one stream.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private static byte[] Frame(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length)
    {
        var header = new byte[YamuxFrameHeader.Size];
        new YamuxFrameHeader(type, flags, streamId, length).WriteTo(header);
        return header;
    }
}
