using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Swarm;
using Mgr.Protocol.Encoding;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Framing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.Tests.Peers;

/// <summary>Transport-level abuse over real TCP on 127.0.0.1 (issue 11): oversized frames, frames dribbled byte by byte,
/// a peer that stops reading, too many sessions. Each time an honest session to the same node carries on.</summary>
public sealed class SwarmTransportLimitTests
{
    private static readonly SwarmOptions Options = new() { GenesisHash = SwarmHarness.Genesis, NetworkId = 7 };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_peer_that_announces_an_oversized_frame_is_told_protocol_breach_banned_and_cut_off_alone()
    {
        await using var node = new TcpSwarmNode(Options, new InMemoryKeyValueStore());
        await using var honest = await HonestPeerOfAsync(node);
        await using var attacker = await RawPeer.OpenAsync(node);
        await attacker.SendAsync(FrameCodec.Encode(GreetingStatus()));
        Assert.True(await node.EventuallyAsync(static engine => engine.ActivePeerCount == 2, Patience));

        byte[] prefix = new byte[UnsignedVarint.LengthOf(Limits.MaxFrameBytes + 1UL)];
        UnsignedVarint.Write(Limits.MaxFrameBytes + 1UL, prefix);
        await attacker.SendAsync(prefix);

        Assert.Equal(DisconnectReason.ProtocolBreach, await attacker.ReadDisconnectAsync());
        Assert.True(await node.EventuallyAsync(engine => engine.Scores.IsBanned(attacker.HandleAt(node)), Patience));
        Assert.True(await node.EventuallyAsync(engine => engine.ActivePeerCount == 1 && node.Transport.SessionCount == 1, Patience));
    }

    [Fact]
    public async Task A_peer_that_dribbles_a_frame_byte_by_byte_is_timed_out_alone()
    {
        var transport = new SwarmTransportOptions { FrameTimeout = new FrameTimeout(TimeSpan.FromMilliseconds(600), 64 * 1024) };
        await using var node = new TcpSwarmNode(Options, new InMemoryKeyValueStore(), transport);
        await using var honest = await HonestPeerOfAsync(node);
        await using var attacker = await RawPeer.OpenAsync(node);
        await attacker.SendAsync(FrameCodec.Encode(GreetingStatus()));
        Assert.True(await node.EventuallyAsync(static engine => engine.ActivePeerCount == 2, Patience));

        using var stop = new CancellationTokenSource();
        Task dribbling = attacker.DribbleAsync(FrameCodec.Encode(new Haves(SwarmHarness.Anchor(1, default).BoundaryHash, KeyRangeSet.Empty, [])), TimeSpan.FromMilliseconds(250), stop.Token);

        Assert.Equal(DisconnectReason.Timeout, await attacker.ReadDisconnectAsync());
        await stop.CancelAsync();
        await attacker.IgnoreAsync(dribbling);
        Assert.True(await node.EventuallyAsync(engine => engine.ActivePeerCount == 1 && node.Transport.SessionCount == 1, Patience));
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_dropped_once_its_queue_passes_the_cap()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(7);
        var store = new InMemoryKeyValueStore();
        state.CopyTo(store);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        int depth = EpochIndex.Build(new TrieNodeStore(store), state.Root).Depth;
        var transport = new SwarmTransportOptions { MaxQueuedBytesPerSession = 128 * 1024 };
        await using var seeder = new TcpSwarmNode(Options with { Role = Role.Seeder, RideStartDelay = TimeSpan.Zero }, store, transport);
        seeder.Loop.Post(() => seeder.Engine.OnEpochFinalized(anchor));
        await using var honest = await HonestPeerOfAsync(seeder);
        await using var attacker = await RawPeer.OpenAsync(seeder);

        // On the epoch and lacking everything: the seeder pushes it every chunk, and it reads none of them.
        await attacker.SendAsync(FrameCodec.Encode(GreetingStatus() with { Epoch = new Epoch(1, anchor.BoundaryHash, anchor.StateRoot, depth) }));

        // Only the attacker is on the epoch, so every push is for it; the honest leecher's session stays.
        Assert.True(await seeder.EventuallyAsync(engine => engine.Counters.ChunksPushed > 0 && seeder.Transport.SessionCount == 1, Patience));
        Assert.True(await seeder.EventuallyAsync(static engine => engine.ActivePeerCount == 1, Patience));
        Assert.Equal(0, await seeder.OnLoopAsync(engine => engine.Scores.PenaltyCount(attacker.HandleAt(seeder)))); // dropped by the cap, not banned
    }

    [Fact]
    public async Task A_peer_whose_session_ended_reads_as_over_the_back_pressure_limit()
    {
        await using var node = new TcpSwarmNode(Options, new InMemoryKeyValueStore());
        var peer = await RawPeer.OpenAsync(node);
        await peer.SendAsync(FrameCodec.Encode(GreetingStatus()));
        Assert.True(await node.EventuallyAsync(static engine => engine.ActivePeerCount == 1, Patience));
        PeerHandle handle = peer.HandleAt(node);
        Assert.True(node.Transport.QueuedBytes(handle) <= Options.MaxQueuedBytesPerPeer);

        await peer.DisposeAsync(); // the peer dies; the engine may not have heard of it yet when it next pushes

        Assert.True(await node.EventuallyAsync(_ => node.Transport.SessionCount == 0, Patience));
        Assert.True(node.Transport.QueuedBytes(handle) > Options.MaxQueuedBytesPerPeer);
    }

    [Fact]
    public async Task While_the_total_backlog_is_over_its_cap_the_engine_stops_pushing()
    {
        TestState state = SwarmEngineSimulationTests.SmallState(8);
        var store = new InMemoryKeyValueStore();
        state.CopyTo(store);
        EpochAnchor anchor = SwarmHarness.Anchor(1, state.Root);
        var nodes = new TrieNodeStore(store);
        var producer = new ChunkProducer(nodes, anchor, EpochIndex.Build(nodes, state.Root));
        long largestChunk = 0;
        foreach (Mgr.Protocol.Chunking.ChunkId chunk in new Mgr.Protocol.Chunking.KeyspacePartition(producer.Index.Depth).RideFrom(anchor.StartKey))
        foreach (StateData data in producer.ProduceSplit(chunk))
            largestChunk = Math.Max(largestChunk, data.EncodedLength());
        var transport = new SwarmTransportOptions { MaxTotalQueuedBytes = 64 * 1024 };
        await using var seeder = new TcpSwarmNode(Options with { Role = Role.Seeder, RideStartDelay = TimeSpan.Zero }, store, transport);
        seeder.Loop.Post(() => seeder.Engine.OnEpochFinalized(anchor));
        await using var attacker = await RawPeer.OpenAsync(seeder);

        await attacker.SendAsync(FrameCodec.Encode(GreetingStatus() with { Epoch = new Epoch(1, anchor.BoundaryHash, anchor.StateRoot, producer.Index.Depth) }));
        Assert.True(await seeder.EventuallyAsync(engine => seeder.Transport.TotalQueuedBytes > transport.MaxTotalQueuedBytes, Patience));
        long most = 0;
        for (int i = 0; i < 40; i++)
        {
            most = Math.Max(most, await seeder.OnLoopAsync(_ => seeder.Transport.TotalQueuedBytes));
            await Task.Delay(25);
        }

        Assert.InRange(most, transport.MaxTotalQueuedBytes, transport.MaxTotalQueuedBytes + largestChunk);
        Assert.Equal(1, seeder.Transport.SessionCount); // held back, not dropped: the per-session cap was never reached
    }

    [Fact]
    public async Task A_session_beyond_the_limit_is_refused_with_too_many_peers()
    {
        await using var node = new TcpSwarmNode(Options, new InMemoryKeyValueStore(), new SwarmTransportOptions { MaxSessions = 1 });
        await using var honest = await HonestPeerOfAsync(node);

        await using var extra = await RawPeer.OpenAsync(node);

        Assert.Equal(DisconnectReason.TooManyPeers, await extra.ReadDisconnectAsync());
        Assert.Equal(1, node.Transport.SessionCount);
        Assert.Equal(1, await node.OnLoopAsync(static engine => engine.ActivePeerCount));
    }

    private static Status GreetingStatus() => new(1, 7, SwarmHarness.Genesis, default, default, default, Role.Leecher, null, KeyRangeSet.Empty, []);

    // An honest leecher with a live session to `node`.
    private static async Task<TcpSwarmNode> HonestPeerOfAsync(TcpSwarmNode node)
    {
        var honest = new TcpSwarmNode(Options, new InMemoryKeyValueStore());
        honest.Dial(node.Address);
        Assert.True(await node.EventuallyAsync(static engine => engine.ActivePeerCount == 1, Patience));
        return honest;
    }

    /// <summary>A peer that speaks raw MGR frames over its own libp2p host: it writes what the test says and reads only
    /// when asked.</summary>
    private sealed class RawPeer : IAsyncDisposable
    {
        private readonly Libp2pHost _host;
        private readonly ProtocolChannel _channel;

        private RawPeer(Libp2pHost host, ProtocolChannel channel) => (_host, _channel) = (host, channel);

        public static async Task<RawPeer> OpenAsync(TcpSwarmNode node)
        {
            var host = new Libp2pHost(Ed25519IdentityKey.Generate());
            using var timeout = new CancellationTokenSource(Patience);
            ProtocolChannel channel = await host.OpenStreamAsync(node.Address, MgrProtocol.Id, timeout.Token);
            return new RawPeer(host, channel);
        }

        public PeerHandle HandleAt(TcpSwarmNode node) => node.Transport.TryGetHandle(_host.PeerId, out PeerHandle handle) ? handle : throw new InvalidOperationException("no session yet");

        public async Task SendAsync(byte[] bytes)
        {
            await _channel.Stream.WriteAsync(bytes);
            await _channel.Stream.FlushAsync();
        }

        public async Task DribbleAsync(byte[] bytes, TimeSpan pause, CancellationToken cancellation)
        {
            foreach (byte b in bytes[..^1])
            {
                await _channel.Stream.WriteAsync(new[] { b }, cancellation);
                await _channel.Stream.FlushAsync(cancellation);
                await Task.Delay(pause, cancellation);
            }
        }

        public async Task IgnoreAsync(Task dribbling)
        {
            try
            {
                await dribbling;
            }
            catch (Exception error) when (error is OperationCanceledException or IOException or HostException or ObjectDisposedException)
            {
                // The node closed the stream under the dribble, or the test stopped it.
            }
        }

        /// <summary>Reads frames until a Disconnect and returns its reason (other messages, e.g. the node's Status, are skipped).</summary>
        public async Task<DisconnectReason> ReadDisconnectAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            FrameReader reader = FrameReader.Create(_channel.Stream);
            while (await reader.ReadMessageAsync(Limits.ProtocolVersion, timeout.Token) is { } message)
            {
                if (message is Disconnect disconnect) return disconnect.Reason;
            }
            throw new InvalidOperationException("the stream ended without a Disconnect");
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _host.DisposeAsync();
        }
    }
}
