using System.Security.Cryptography;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Yamux;

public sealed class YamuxSessionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Carries_data_both_ways_and_a_fin_ends_the_peers_reading()
    {
        await using var pair = SessionPair.Create();

        YamuxStream client = await pair.Client.OpenStreamAsync();
        await client.WriteAsync("hello"u8.ToArray());
        await client.CloseWriteAsync();
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        byte[] request = await ReadToEndAsync(server);
        await server.WriteAsync("world"u8.ToArray());
        await server.CloseWriteAsync();
        byte[] response = await ReadToEndAsync(client);

        Assert.Equal("hello"u8.ToArray(), request);
        Assert.Equal("world"u8.ToArray(), response);
    }

    [Fact]
    public async Task Initiator_opens_odd_stream_ids_and_responder_even_ones()
    {
        await using var pair = SessionPair.Create();

        YamuxStream first = await pair.Client.OpenStreamAsync();
        YamuxStream second = await pair.Client.OpenStreamAsync();
        YamuxStream fromServer = await pair.Server.OpenStreamAsync();

        Assert.Equal([1u, 3u, 2u], new[] { first.StreamId, second.StreamId, fromServer.StreamId });
    }

    [Fact]
    public async Task Transfers_far_more_than_the_initial_window_intact()
    {
        await using var pair = SessionPair.Create();
        byte[] payload = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 17);

        YamuxStream client = await pair.Client.OpenStreamAsync();
        Task send = Task.Run(async () =>
        {
            for (int offset = 0; offset < payload.Length; offset += 100_000)
            {
                await client.WriteAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)));
            }
            await client.CloseWriteAsync();
        });
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        byte[] received = await ReadToEndAsync(server);
        await send.WaitAsync(Bound);

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received));
    }

    [Fact]
    public async Task A_writer_waits_for_the_window_while_the_peer_does_not_read()
    {
        var options = new YamuxOptions { WindowAutoTuning = false };
        await using var pair = SessionPair.Create(options, options);
        byte[] payload = new byte[YamuxOptions.SpecInitialWindowBytes * 3];

        YamuxStream client = await pair.Client.OpenStreamAsync();
        Task write = client.WriteAsync(payload).AsTask();
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await Task.Delay(300);
        bool completedWithoutReader = write.IsCompleted;
        var drained = new byte[payload.Length];
        await server.ReadExactlyAsync(drained).AsTask().WaitAsync(Bound);
        await write.WaitAsync(Bound);

        Assert.False(completedWithoutReader);
        Assert.Equal(YamuxOptions.SpecInitialWindowBytes, server.ReceiveWindowBytes);
    }

    [Fact]
    public async Task Window_grows_when_the_window_not_the_reader_limits_a_long_link()
    {
        var (a, b) = LatencyDuplexStream.CreatePair(TimeSpan.FromMilliseconds(10));
        await using var pair = new SessionPair(new YamuxSession(a, isInitiator: true), new YamuxSession(b, isInitiator: false));
        await pair.Server.PingAsync().WaitAsync(Bound);
        byte[] payload = new byte[8 * 1024 * 1024];

        YamuxStream client = await pair.Client.OpenStreamAsync();
        Task send = Task.Run(async () =>
        {
            await client.WriteAsync(payload);
            await client.CloseWriteAsync();
        });
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await ReadToEndAsync(server);
        await send.WaitAsync(Bound);

        Assert.True(server.ReceiveWindowBytes > YamuxOptions.SpecInitialWindowBytes, $"window stayed at {server.ReceiveWindowBytes}");
        Assert.True(server.ReceiveWindowBytes <= pair.Server.Options.MaxStreamWindowBytes);
    }

    [Fact]
    public async Task Ping_returns_a_round_trip_time_from_either_side()
    {
        await using var pair = SessionPair.Create();

        TimeSpan fromClient = await pair.Client.PingAsync().WaitAsync(Bound);
        TimeSpan fromServer = await pair.Server.PingAsync().WaitAsync(Bound);

        Assert.True(fromClient > TimeSpan.Zero && fromServer > TimeSpan.Zero);
        Assert.NotNull(pair.Client.RoundTripTime);
    }

    [Fact]
    public async Task Many_concurrent_streams_each_echo_their_own_data()
    {
        await using var pair = SessionPair.Create();
        var echoes = new List<Task>();
        Task server = Task.Run(async () =>
        {
            while (await pair.Server.AcceptStreamAsync() is { } stream)
            {
                lock (echoes) echoes.Add(EchoAsync(stream));
            }
        });

        var clients = Enumerable.Range(0, 40).Select(async i =>
        {
            await using YamuxStream stream = await pair.Client.OpenStreamAsync();
            byte[] data = RandomNumberGenerator.GetBytes(1000 + i * 997);
            await stream.WriteAsync(data);
            await stream.CloseWriteAsync();
            return (data, echoed: await ReadToEndAsync(stream));
        }).ToArray();
        var results = await Task.WhenAll(clients).WaitAsync(Bound);
        Task[] finished;
        lock (echoes) finished = [.. echoes];
        await Task.WhenAll(finished).WaitAsync(Bound);

        Assert.Equal(40, finished.Length);
        Assert.All(results, r => Assert.Equal(r.data, r.echoed));
    }

    [Fact]
    public async Task Reset_fails_the_peers_pending_read_with_StreamReset()
    {
        await using var pair = SessionPair.Create();

        YamuxStream client = await pair.Client.OpenStreamAsync();
        await client.WriteAsync(new byte[] { 1 });
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        var first = new byte[1];
        await server.ReadExactlyAsync(first);
        Task<int> pendingRead = server.ReadAsync(new byte[10]).AsTask();
        client.Reset();
        var error = await Assert.ThrowsAsync<YamuxException>(() => pendingRead.WaitAsync(Bound));

        Assert.Equal(YamuxError.StreamReset, error.Reason);
        Assert.Equal(YamuxError.StreamClosed, (await Assert.ThrowsAsync<YamuxException>(() => client.WriteAsync(new byte[1]).AsTask())).Reason);
    }

    [Fact]
    public async Task Refused_stream_reports_StreamRefused_to_the_opener()
    {
        var server = new YamuxOptions { MaxInboundStreams = 1, AcceptBacklog = 1 };
        await using var pair = SessionPair.Create(serverOptions: server);

        YamuxStream kept = await pair.Client.OpenStreamAsync();
        YamuxStream refused = await pair.Client.OpenStreamAsync();
        var error = await Assert.ThrowsAsync<YamuxException>(() => refused.ReadAsync(new byte[1]).AsTask().WaitAsync(Bound));
        await kept.WriteAsync(new byte[] { 42 });
        YamuxStream accepted = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        var got = new byte[1];
        await accepted.ReadExactlyAsync(got).AsTask().WaitAsync(Bound);

        Assert.Equal(YamuxError.StreamRefused, error.Reason);
        Assert.Equal(42, got[0]);
    }

    [Fact]
    public async Task Disposing_a_session_fails_open_streams_and_ends_both_sides()
    {
        var pair = SessionPair.Create();
        YamuxStream client = await pair.Client.OpenStreamAsync();
        await client.WriteAsync(new byte[] { 1 });
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;

        await pair.Client.DisposeAsync().AsTask().WaitAsync(Bound);
        YamuxTermination serverEnd = await pair.Server.Completion.WaitAsync(Bound);
        var clientError = await Assert.ThrowsAsync<YamuxException>(() => client.WriteAsync(new byte[1]).AsTask());
        var serverError = await Assert.ThrowsAsync<YamuxException>(async () =>
        {
            var buffer = new byte[16];
            while (await server.ReadAsync(buffer) > 0) { }
        });

        Assert.Equal(YamuxError.LocalClose, (await pair.Client.Completion).Reason);
        Assert.Equal(YamuxError.RemoteGoAway, serverEnd.Reason);
        Assert.Equal(YamuxGoAwayCode.Normal, serverEnd.RemoteGoAwayCode);
        Assert.Equal(YamuxError.SessionClosed, clientError.Reason);
        Assert.Equal(YamuxError.SessionClosed, serverError.Reason);
        Assert.Null(await pair.Server.AcceptStreamAsync());
        await pair.DisposeAsync();
    }

    [Fact]
    public async Task After_a_go_away_the_peer_opens_no_new_streams_but_old_ones_keep_working()
    {
        await using var pair = SessionPair.Create();
        YamuxStream old = await pair.Client.OpenStreamAsync();
        YamuxStream accepted = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;

        await pair.Server.GoAwayAsync();
        await pair.Server.PingAsync().WaitAsync(Bound); // frames arrive in order: the go-away has been read
        var error = await Assert.ThrowsAsync<YamuxException>(() => pair.Client.OpenStreamAsync().AsTask());
        await old.WriteAsync(new byte[] { 9 });
        var got = new byte[1];
        await accepted.ReadExactlyAsync(got).AsTask().WaitAsync(Bound);

        Assert.Equal(YamuxError.SessionClosed, error.Reason);
        Assert.Equal(9, got[0]);
    }

    [Fact]
    public async Task Disposed_stream_closes_cleanly_once_both_sides_finished()
    {
        await using var pair = SessionPair.Create();

        YamuxStream client = await pair.Client.OpenStreamAsync();
        await client.WriteAsync(new byte[] { 1, 2, 3 });
        await client.DisposeAsync();
        YamuxStream server = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        byte[] got = await ReadToEndAsync(server);
        await server.DisposeAsync();
        await pair.Server.PingAsync().WaitAsync(Bound);
        await pair.Client.PingAsync().WaitAsync(Bound);

        Assert.Equal(new byte[] { 1, 2, 3 }, got);
        Assert.Equal(0, pair.Client.OpenStreamCount);
        Assert.Equal(0, pair.Server.OpenStreamCount);
    }

    [Fact]
    public async Task A_cancelled_write_leaves_the_session_usable()
    {
        var options = new YamuxOptions { WindowAutoTuning = false };
        await using var pair = SessionPair.Create(options, options);
        YamuxStream blocked = await pair.Client.OpenStreamAsync();
        using var cancel = new CancellationTokenSource();

        Task write = blocked.WriteAsync(new byte[YamuxOptions.SpecInitialWindowBytes * 2], cancel.Token).AsTask();
        await Task.Delay(100);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(Bound));
        YamuxStream other = await pair.Client.OpenStreamAsync();
        await other.WriteAsync(new byte[] { 5 });

        Assert.NotNull(await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound));
        YamuxStream second = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        Assert.Equal(other.StreamId, second.StreamId);
    }

    internal static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var output = new MemoryStream();
        await stream.CopyToAsync(output).WaitAsync(Bound);
        return output.ToArray();
    }

    private static async Task EchoAsync(YamuxStream stream)
    {
        await using (stream)
        {
            await stream.CopyToAsync(stream);
            await stream.CloseWriteAsync();
        }
    }
}

/// <summary>A client and a server session over an in-memory duplex pair.</summary>
internal sealed class SessionPair : IAsyncDisposable
{
    public SessionPair(YamuxSession client, YamuxSession server)
    {
        Client = client;
        Server = server;
    }

    public YamuxSession Client { get; }
    public YamuxSession Server { get; }

    public static SessionPair Create(YamuxOptions? clientOptions = null, YamuxOptions? serverOptions = null)
    {
        var (a, b) = InMemoryDuplexStream.CreatePair();
        return new SessionPair(new YamuxSession(a, isInitiator: true, clientOptions), new YamuxSession(b, isInitiator: false, serverOptions));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
