using System.Buffers.Binary;
using System.Net.Sockets;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.Multistream;
using Mgr.Protocol.Transport.Ping;

namespace Mgr.Protocol.Tests.Host;

public sealed class Libp2pHostTests : IAsyncLifetime
{
    private const string Echo = "/test/echo/1.0.0";
    private const int InboundUpgradeFailed = 5003;
    private const int InboundRefused = 5004;
    private const int HandlerFailed = 5006;

    private static readonly Multiaddr Loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");
    private readonly RecordingLogger _serverLog = new();
    private readonly List<Libp2pHost> _hosts = [];
    private Libp2pHost _server = null!;
    private Multiaddr _serverAddress = null!;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    public Task InitializeAsync()
    {
        _server = NewHost(new HostOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) }, _serverLog);
        _server.SetHandler(Echo, EchoAsync);
        _serverAddress = _server.Listen(Loopback).WithPeerId(_server.PeerId);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (Libp2pHost host in _hosts) await host.DisposeAsync();
    }

    [Fact]
    public async Task Two_hosts_dial_open_a_stream_and_echo_data_over_tcp()
    {
        Libp2pHost client = NewHost();

        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);
        await using ProtocolChannel channel = await connection.OpenStreamAsync(Echo, Timeout);
        byte[] data = new byte[2_000_000];
        new Random(1).NextBytes(data);
        Task sending = Task.Run(async () => { await channel.Stream.WriteAsync(data, Timeout); await channel.CloseWriteAsync(); });
        using var received = new MemoryStream();
        await channel.Stream.CopyToAsync(received, Timeout);
        await sending;

        Assert.Equal(_server.PeerId, connection.RemotePeer);
        Assert.Equal(Echo, channel.Protocol);
        Assert.Equal(data, received.ToArray());
        Assert.Contains(_server.Connections, c => c.RemotePeer == client.PeerId && c.Direction == ConnectionDirection.Inbound);
    }

    [Fact]
    public async Task Every_host_answers_identify_and_ping()
    {
        Libp2pHost client = NewHost();
        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);

        IdentifyMessage identify = await IdentifyService.RequestAsync(connection, Timeout);
        IReadOnlyList<TimeSpan> rounds = await PingService.PingAsync(connection, 3, Timeout);

        Assert.Equal(_server.Options.AgentVersion, identify.AgentVersion);
        Assert.Contains(PingProtocol.ProtocolId, identify.Protocols);
        Assert.Contains(IdentifyLimits.ProtocolId, identify.Protocols);
        Assert.Contains(Echo, identify.Protocols);
        Assert.Equal(_serverAddress.WithoutPeerId()!.Bytes.ToArray(), identify.ListenAddrs.Single().ToArray());
        Assert.Equal(connection.LocalAddress.Bytes.ToArray(), identify.ObservedAddr!.Value.ToArray());
        Assert.Equal(3, rounds.Count);
    }

    [Fact]
    public async Task Reuses_an_open_connection_when_dialling_the_same_peer_again()
    {
        Libp2pHost client = NewHost();

        PeerConnection first = await client.DialAsync(_serverAddress, Timeout);
        PeerConnection second = await client.DialAsync(_serverAddress, Timeout);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task Refuses_a_listener_that_is_not_the_dialled_peer()
    {
        Libp2pHost client = NewHost();
        Multiaddr wrongPeer = _serverAddress.WithPeerId(Secp256k1IdentityKey.Generate().PeerId);

        var error = await Assert.ThrowsAsync<HostException>(() => client.DialAsync(wrongPeer, Timeout));

        Assert.Equal(HostError.PeerIdMismatch, error.Reason);
        Assert.Empty(client.Connections);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Closes_a_connection_that_sends_garbage_before_the_handshake()
    {
        using var raw = new TcpClient();
        await raw.ConnectAsync(TcpEndpoint());
        NetworkStream stream = raw.GetStream();

        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("\u0013GET / HTTP/1.1\r\nHost: x\r\n\r\n"), Timeout);

        RecordingLogger.Entry entry = await _serverLog.WaitForAsync(InboundUpgradeFailed);
        Assert.Equal(HostError.UpgradeNegotiationFailed, entry.Values["Reason"]);
        Assert.InRange(await ReadToEndAsync(stream), 0, 20); // at most our multistream header, then the close
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Closes_a_connection_that_sends_garbage_inside_the_noise_handshake()
    {
        using var raw = new TcpClient();
        await raw.ConnectAsync(TcpEndpoint());
        NetworkStream stream = raw.GetStream();
        await MultistreamSelect.SelectAsync(stream, ["/noise"], Timeout);

        byte[] frame = new byte[2 + 40];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 40);
        await stream.WriteAsync(frame, Timeout); // an all-zero ephemeral key
        RecordingLogger.Entry entry = await _serverLog.WaitForAsync(InboundUpgradeFailed);

        Assert.Equal(HostError.SecurityFailed, entry.Values["Reason"]);
        Assert.Equal(0, await ReadToEndAsync(stream));
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Closes_a_connection_whose_noise_frame_is_cut_short()
    {
        using var raw = new TcpClient();
        await raw.ConnectAsync(TcpEndpoint());
        NetworkStream stream = raw.GetStream();
        await MultistreamSelect.SelectAsync(stream, ["/noise"], Timeout);

        await stream.WriteAsync(new byte[] { 0x00, 0x20, 1, 2, 3 }, Timeout);
        raw.Client.Shutdown(SocketShutdown.Send);
        RecordingLogger.Entry entry = await _serverLog.WaitForAsync(InboundUpgradeFailed);

        Assert.Equal(HostError.SecurityFailed, entry.Values["Reason"]);
        Assert.Equal(Mgr.Protocol.Transport.Noise.NoiseError.Truncated,
                     Assert.IsType<Mgr.Protocol.Transport.Noise.NoiseException>(entry.Exception!.InnerException).Reason);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Rejects_a_dialer_whose_identity_signature_is_wrong()
    {
        Libp2pHost forger = NewHost(identity: new ForgingIdentityKey(Secp256k1IdentityKey.Generate()));

        await Assert.ThrowsAsync<HostException>(() => forger.DialAsync(_serverAddress, Timeout));

        RecordingLogger.Entry entry = await _serverLog.WaitForAsync(InboundUpgradeFailed);
        Assert.Equal(HostError.SecurityFailed, entry.Values["Reason"]);
        Assert.Equal(Mgr.Protocol.Transport.Noise.NoiseError.BadSignature,
                     Assert.IsType<Mgr.Protocol.Transport.Noise.NoiseException>(entry.Exception!.InnerException).Reason);
        await AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Drops_a_connection_that_stalls_the_handshake()
    {
        using var raw = new TcpClient();
        await raw.ConnectAsync(TcpEndpoint());

        RecordingLogger.Entry entry = await _serverLog.WaitForAsync(InboundUpgradeFailed);

        Assert.Equal(HostError.HandshakeTimeout, entry.Values["Reason"]);
        Assert.True(await ReadToEndAsync(raw.GetStream()) >= 0);
    }

    [Fact]
    public async Task A_handler_that_stops_reading_holds_back_the_writer_until_it_reads_again()
    {
        var gate = new TaskCompletionSource();
        long received = 0;
        _server.SetHandler("/test/slow", async (channel, cancellation) =>
        {
            await gate.Task.WaitAsync(cancellation);
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = await channel.Stream.ReadAsync(buffer, cancellation)) > 0) Interlocked.Add(ref received, read);
        });
        Libp2pHost client = NewHost();
        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);
        await using ProtocolChannel channel = await connection.OpenStreamAsync("/test/slow", Timeout);

        Task writing = channel.Stream.WriteAsync(new byte[16 * 1024 * 1024], Timeout).AsTask();
        Task first = await Task.WhenAny(writing, Task.Delay(1000));
        bool blockedWhileNotReading = first != writing;
        gate.SetResult();
        await writing.WaitAsync(Timeout);
        await channel.CloseWriteAsync();
        while (Interlocked.Read(ref received) < 16 * 1024 * 1024) await Task.Delay(10, Timeout);

        Assert.True(blockedWhileNotReading);
        Assert.Equal(16 * 1024 * 1024, Interlocked.Read(ref received));
    }

    [Fact]
    public async Task Reports_a_protocol_the_peer_does_not_support()
    {
        Libp2pHost client = NewHost();
        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);

        var error = await Assert.ThrowsAsync<HostException>(() => connection.OpenStreamAsync("/not/served/1", Timeout));

        Assert.Equal(HostError.ProtocolNotSupported, error.Reason);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task A_failing_handler_resets_only_its_own_stream()
    {
        _server.SetHandler("/test/throws", async (channel, cancellation) =>
        {
            await channel.Stream.ReadExactlyAsync(new byte[1], cancellation);
            throw new InvalidOperationException("handler bug");
        });
        Libp2pHost client = NewHost();
        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);

        await using ProtocolChannel failing = await connection.OpenStreamAsync("/test/throws", Timeout);
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await failing.Stream.WriteAsync(new byte[] { 1 }, Timeout); // the reset may already fail this write
            await ReadToEndAsync(failing.Stream);
        });

        await _serverLog.WaitForAsync(HandlerFailed);
        await using ProtocolChannel echo = await connection.OpenStreamAsync(Echo, Timeout);
        await echo.Stream.WriteAsync(new byte[] { 9 }, Timeout);
        Assert.Equal(9, echo.Stream.ReadByte());
    }

    [Fact]
    public async Task Refuses_inbound_connections_beyond_the_limit()
    {
        RecordingLogger log = new();
        Libp2pHost limited = NewHost(new HostOptions { MaxConnections = 1 }, log);
        Multiaddr address = limited.Listen(Loopback).WithPeerId(limited.PeerId);
        PeerConnection first = await NewHost().DialAsync(address, Timeout);

        await Assert.ThrowsAsync<HostException>(() => NewHost().DialAsync(address, Timeout));

        RecordingLogger.Entry entry = await log.WaitForAsync(InboundRefused);
        Assert.Equal(HostError.ConnectionLimit, entry.Values["Reason"]);
        Assert.True(first.IsOpen);
    }

    [Fact]
    public async Task Closes_a_connection_left_idle()
    {
        Libp2pHost client = NewHost(new HostOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });

        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);

        Assert.Equal(ConnectionCloseReason.IdleTimeout, await connection.Closed.WaitAsync(Timeout));
        Assert.Empty(client.Connections);
    }

    [Fact]
    public async Task Stopping_a_host_closes_its_connections_and_the_peer_sees_a_remote_close()
    {
        Libp2pHost client = NewHost();
        PeerConnection outbound = await client.DialAsync(_serverAddress, Timeout);
        PeerConnection inbound = await WaitForInboundAsync(client.PeerId);

        await client.DisposeAsync();

        Assert.Equal(ConnectionCloseReason.HostStopped, await outbound.Closed.WaitAsync(Timeout));
        Assert.Equal(ConnectionCloseReason.RemoteClose, await inbound.Closed.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Cancelling_a_dial_throws_operation_cancelled()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start(); // accepts TCP but never speaks multistream
        var silent = Multiaddr.FromTcpEndpoint((System.Net.IPEndPoint)listener.LocalEndpoint);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewHost().DialAsync(silent, cancellation.Token));
    }

    private Libp2pHost NewHost(HostOptions? options = null, RecordingLogger? logger = null, IdentityKey? identity = null)
    {
        var host = new Libp2pHost(identity ?? Secp256k1IdentityKey.Generate(), options, logger);
        _hosts.Add(host);
        return host;
    }

    private System.Net.IPEndPoint TcpEndpoint() => Mgr.Protocol.Transport.Tcp.TcpTransport.ToIPEndPoint(_serverAddress)!;

    private async Task<PeerConnection> WaitForInboundAsync(PeerId peer)
    {
        for (int i = 0; i < 500; i++)
        {
            if (_server.FindConnection(peer) is { } connection) return connection;
            await Task.Delay(10);
        }
        throw new TimeoutException("The inbound connection never registered.");
    }

    private async Task AssertServerStillServesAsync()
    {
        Libp2pHost client = NewHost();
        PeerConnection connection = await client.DialAsync(_serverAddress, Timeout);
        await using ProtocolChannel channel = await connection.OpenStreamAsync(Echo, Timeout);
        await channel.Stream.WriteAsync("ok"u8.ToArray(), Timeout);
        byte[] reply = new byte[2];
        await channel.Stream.ReadExactlyAsync(reply, Timeout);
        Assert.Equal("ok"u8.ToArray(), reply);
    }

    private static async Task<int> ReadToEndAsync(Stream stream)
    {
        byte[] buffer = new byte[4096];
        int total = 0, read;
        while ((read = await stream.ReadAsync(buffer, Timeout)) > 0) total += read;
        return total;
    }

    private static async Task EchoAsync(ProtocolChannel channel, CancellationToken cancellation)
    {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = await channel.Stream.ReadAsync(buffer, cancellation)) > 0)
        {
            await channel.Stream.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        await channel.CloseWriteAsync();
    }
}
