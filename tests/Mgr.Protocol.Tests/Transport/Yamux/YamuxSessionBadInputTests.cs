using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Yamux;

/// <summary>A real session (the responder) driven by a raw peer that breaks the protocol.</summary>
public sealed class YamuxSessionBadInputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Data_beyond_the_receive_window_ends_the_session_with_WindowExceeded()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        int tooMuch = YamuxOptions.SpecInitialWindowBytes + 1;
        await harness.Peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)tooMuch, new byte[tooMuch]);

        await harness.AssertProtocolViolationAsync(YamuxError.WindowExceeded);
    }

    [Fact]
    public async Task An_unknown_frame_type_ends_the_session_with_UnknownFrameType()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendRawAsync(RawYamuxPeer.Header(version: 0, type: 7, flags: 0, streamId: 0, length: 0));

        await harness.AssertProtocolViolationAsync(YamuxError.UnknownFrameType);
    }

    [Fact]
    public async Task A_bad_version_ends_the_session_with_UnsupportedVersion()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendRawAsync(RawYamuxPeer.Header(version: 1, type: 2, flags: 1, streamId: 0, length: 5));

        await harness.AssertProtocolViolationAsync(YamuxError.UnsupportedVersion);
    }

    [Fact]
    public async Task Data_on_a_stream_never_opened_ends_the_session_with_DataOnUnknownStream()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 5, 3, [1, 2, 3]);

        await harness.AssertProtocolViolationAsync(YamuxError.DataOnUnknownStream);
    }

    [Fact]
    public async Task A_second_syn_for_the_same_stream_ends_the_session_with_DuplicateStream()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);

        await harness.AssertProtocolViolationAsync(YamuxError.DuplicateStream);
    }

    [Fact]
    public async Task A_syn_with_the_responders_parity_ends_the_session_with_InvalidStreamId()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, 0);

        await harness.AssertProtocolViolationAsync(YamuxError.InvalidStreamId);
    }

    [Fact]
    public async Task Window_updates_past_four_gibibytes_end_the_session_with_WindowOverflow()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, uint.MaxValue);

        await harness.AssertProtocolViolationAsync(YamuxError.WindowOverflow);
    }

    [Fact]
    public async Task A_data_frame_longer_than_any_window_is_rejected_before_its_payload_is_read()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        await harness.Peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, uint.MaxValue);

        await harness.AssertProtocolViolationAsync(YamuxError.FrameTooLarge);
    }

    [Fact]
    public async Task A_stream_flood_is_refused_with_resets_and_then_ends_the_session()
    {
        var options = new YamuxOptions { MaxInboundStreams = 4, AcceptBacklog = 4, MaxRefusedStreams = 8 };
        await using var harness = Harness.Create(options);

        for (uint id = 1; id <= 2 * 13; id += 2) await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, id, 0);
        var resets = new List<uint>();
        YamuxFrameHeader? goAway = null;
        while (await harness.Peer.ReadFrameAsync().WaitAsync(Bound) is { } frame)
        {
            if ((frame.Header.Flags & YamuxFlags.Rst) != 0) resets.Add(frame.Header.StreamId);
            if (frame.Header.Type == YamuxFrameType.GoAway) goAway = frame.Header;
        }
        YamuxTermination end = await harness.Session.Completion.WaitAsync(Bound);

        Assert.Equal(YamuxError.StreamFlood, end.Reason);
        Assert.Equal([9u, 11u, 13u, 15u, 17u, 19u, 21u, 23u], resets);
        Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, goAway?.Length);
    }

    [Fact]
    public async Task Pings_from_a_peer_that_never_reads_end_the_session_with_PingFlood()
    {
        var options = new YamuxOptions { MaxPendingControlFrames = 16, WindowAutoTuning = false, CloseTimeout = TimeSpan.FromMilliseconds(200) };
        await using var harness = Harness.Create(options, pauseBytes: 64);

        Task flood = Task.Run(async () =>
        {
            try
            {
                for (uint i = 0; i < 100_000 && !harness.Session.Completion.IsCompleted; i++)
                {
                    await harness.Peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Syn, 0, i);
                }
            }
            catch (IOException)
            {
                // The session closed the connection under the flood.
            }
        });
        YamuxTermination end = await harness.Session.Completion.WaitAsync(Bound);
        await flood.WaitAsync(Bound);

        Assert.Equal(YamuxError.PingFlood, end.Reason);
    }

    [Fact]
    public async Task A_connection_that_ends_inside_a_header_ends_the_session_with_ConnectionClosed()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendRawAsync([0, 1, 0]);
        await harness.Peer.Connection.DisposeAsync();
        YamuxTermination end = await harness.Session.Completion.WaitAsync(Bound);

        Assert.Equal(YamuxError.ConnectionClosed, end.Reason);
        Assert.False(end.IsProtocolViolation);
    }

    [Fact]
    public async Task Frames_for_a_stream_closed_earlier_are_ignored()
    {
        await using var harness = Harness.Create();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        YamuxStream stream = (await harness.Session.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        stream.Reset();
        await harness.Peer.ReadUntilAsync(h => (h.Flags & YamuxFlags.Rst) != 0).WaitAsync(Bound);
        await harness.Peer.SendAsync(YamuxFrameType.Data, YamuxFlags.None, 1, 4, [1, 2, 3, 4]);
        await harness.Peer.SendAsync(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 77);
        YamuxFrameHeader? pong = await harness.Peer.ReadUntilAsync(h => h.Type == YamuxFrameType.Ping).WaitAsync(Bound);

        Assert.Equal(77u, pong?.Length);
        Assert.False(harness.Session.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_violating_session_leaves_other_sessions_and_its_healthy_streams_unaffected()
    {
        await using var healthy = SessionPair.Create();
        await using var harness = Harness.Create();
        YamuxStream before = await healthy.Client.OpenStreamAsync();

        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0);
        YamuxStream victim = (await harness.Session.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await harness.Peer.SendRawAsync(RawYamuxPeer.Header(version: 0, type: 9, flags: 0, streamId: 1, length: 0));
        await harness.AssertProtocolViolationAsync(YamuxError.UnknownFrameType);
        await before.WriteAsync(new byte[] { 1 });
        await before.CloseWriteAsync();
        YamuxStream accepted = (await healthy.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;

        Assert.Equal(new byte[] { 1 }, await YamuxSessionTests.ReadToEndAsync(accepted));
        Assert.Equal(YamuxError.SessionClosed, (await Assert.ThrowsAsync<YamuxException>(() => victim.ReadAsync(new byte[1]).AsTask())).Reason);
        Assert.True(await healthy.Client.PingAsync().WaitAsync(Bound) > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_peer_that_never_answers_keep_alive_pings_ends_the_session_with_KeepAliveTimeout()
    {
        await using var harness = Harness.Create(new YamuxOptions { WindowAutoTuning = false, KeepAliveInterval = TimeSpan.FromMilliseconds(100) });

        YamuxFrameHeader? ping = await harness.Peer.ReadUntilAsync(h => h.Type == YamuxFrameType.Ping).WaitAsync(Bound);
        YamuxTermination end = await harness.Session.Completion.WaitAsync(Bound);

        Assert.Equal(YamuxFlags.Syn, ping?.Flags);
        Assert.Equal(YamuxError.KeepAliveTimeout, end.Reason);
    }

    [Fact]
    public async Task Opens_beyond_the_ack_backlog_wait_for_the_peers_ack()
    {
        await using var harness = Harness.Create(new YamuxOptions { WindowAutoTuning = false, MaxAckBacklog = 1 });

        YamuxStream first = await harness.Session.OpenStreamAsync();
        Task<YamuxStream> second = harness.Session.OpenStreamAsync().AsTask();
        await harness.Peer.ReadUntilAsync(h => (h.Flags & YamuxFlags.Syn) != 0 && h.StreamId == first.StreamId).WaitAsync(Bound);
        bool openedBeforeAck = second.IsCompleted;
        await harness.Peer.SendAsync(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, first.StreamId, 0);
        YamuxStream opened = await second.WaitAsync(Bound);

        Assert.False(openedBeforeAck);
        Assert.Equal(first.StreamId + 2, opened.StreamId);
    }

    [Fact]
    public async Task Opening_past_the_outbound_limit_fails_with_TooManyStreams()
    {
        await using var harness = Harness.Create(new YamuxOptions { WindowAutoTuning = false, MaxOutboundStreams = 1 });

        await harness.Session.OpenStreamAsync();
        var error = await Assert.ThrowsAsync<YamuxException>(() => harness.Session.OpenStreamAsync().AsTask());

        Assert.Equal(YamuxError.TooManyStreams, error.Reason);
    }

    /// <summary>A responder session whose peer is a <see cref="RawYamuxPeer"/>.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private Harness(YamuxSession session, RawYamuxPeer peer)
        {
            Session = session;
            Peer = peer;
        }

        public YamuxSession Session { get; }
        public RawYamuxPeer Peer { get; }

        public static Harness Create(YamuxOptions? options = null, long pauseBytes = 1024 * 1024)
        {
            var (a, b) = InMemoryDuplexStream.CreatePair(pauseBytes);
            return new Harness(new YamuxSession(b, isInitiator: false, options ?? new YamuxOptions { WindowAutoTuning = false }), new RawYamuxPeer(a));
        }

        /// <summary>Asserts the session ended for <paramref name="reason"/> and told the peer go-away(protocol error).</summary>
        public async Task AssertProtocolViolationAsync(YamuxError reason)
        {
            YamuxFrameHeader? goAway = await Peer.ReadUntilAsync(h => h.Type == YamuxFrameType.GoAway).WaitAsync(Bound);
            YamuxTermination end = await Session.Completion.WaitAsync(Bound);
            Assert.Equal(reason, end.Reason);
            Assert.True(end.IsProtocolViolation);
            Assert.Equal((uint)YamuxGoAwayCode.ProtocolError, goAway?.Length);
        }

        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync();
            await Peer.DisposeAsync();
        }
    }
}
