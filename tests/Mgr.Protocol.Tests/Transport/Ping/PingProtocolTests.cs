using Mgr.Protocol.Tests.Transport.Yamux;
using Mgr.Protocol.Transport.Ping;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Ping;

public sealed class PingProtocolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Rounds_are_echoed_and_timed_until_the_dialler_closes()
    {
        await using var pair = SessionPair.Create();

        YamuxStream dialler = await pair.Client.OpenStreamAsync();
        YamuxStream listener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        Task<int> serve = PingProtocol.ServeAsync(listener).AsTask();
        var rounds = new List<TimeSpan>();
        for (int i = 0; i < 3; i++) rounds.Add(await PingProtocol.RoundTripAsync(dialler).AsTask().WaitAsync(Bound));
        await dialler.CloseWriteAsync();

        Assert.Equal(3, await serve.WaitAsync(Bound));
        Assert.All(rounds, rtt => Assert.True(rtt > TimeSpan.Zero));
    }

    [Fact]
    public async Task A_peer_that_echoes_garbage_fails_with_Mismatch()
    {
        await using var pair = SessionPair.Create();

        YamuxStream dialler = await pair.Client.OpenStreamAsync();
        Task<TimeSpan> ping = PingProtocol.RoundTripAsync(dialler).AsTask();
        YamuxStream listener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await listener.ReadExactlyAsync(new byte[PingProtocol.PayloadBytes]);
        await listener.WriteAsync(new byte[PingProtocol.PayloadBytes]);
        var error = await Assert.ThrowsAsync<PingException>(() => ping.WaitAsync(Bound));

        Assert.Equal(PingError.Mismatch, error.Reason);
    }

    [Fact]
    public async Task A_peer_that_closes_after_half_an_echo_fails_with_Truncated()
    {
        await using var pair = SessionPair.Create();

        YamuxStream dialler = await pair.Client.OpenStreamAsync();
        Task<TimeSpan> ping = PingProtocol.RoundTripAsync(dialler).AsTask();
        YamuxStream listener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await listener.WriteAsync(new byte[PingProtocol.PayloadBytes / 2]);
        await listener.CloseWriteAsync();
        var error = await Assert.ThrowsAsync<PingException>(() => ping.WaitAsync(Bound));

        Assert.Equal(PingError.Truncated, error.Reason);
    }

    [Fact]
    public async Task Serving_a_dialler_that_sends_a_partial_payload_fails_with_Truncated()
    {
        await using var pair = SessionPair.Create();
        YamuxStream dialler = await pair.Client.OpenStreamAsync();
        await dialler.WriteAsync(new byte[PingProtocol.PayloadBytes + 5]);
        await dialler.CloseWriteAsync();
        YamuxStream listener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;

        var error = await Assert.ThrowsAsync<PingException>(() => PingProtocol.ServeAsync(listener).AsTask().WaitAsync(Bound));

        Assert.Equal(PingError.Truncated, error.Reason);
    }

    [Fact]
    public async Task A_garbage_ping_peer_leaves_other_ping_streams_working()
    {
        await using var pair = SessionPair.Create();

        YamuxStream bad = await pair.Client.OpenStreamAsync();
        Task<TimeSpan> badPing = PingProtocol.RoundTripAsync(bad).AsTask();
        YamuxStream badListener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await badListener.WriteAsync(new byte[PingProtocol.PayloadBytes]);
        YamuxStream good = await pair.Client.OpenStreamAsync();
        YamuxStream goodListener = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        Task<int> serve = PingProtocol.ServeAsync(goodListener).AsTask();
        TimeSpan rtt = await PingProtocol.RoundTripAsync(good).AsTask().WaitAsync(Bound);
        await good.CloseWriteAsync();

        Assert.Equal(PingError.Mismatch, (await Assert.ThrowsAsync<PingException>(() => badPing.WaitAsync(Bound))).Reason);
        Assert.True(rtt > TimeSpan.Zero);
        Assert.Equal(1, await serve.WaitAsync(Bound));
    }
}
