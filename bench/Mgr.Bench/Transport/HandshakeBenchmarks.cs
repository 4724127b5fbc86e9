using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Multistream;
using Mgr.Protocol.Transport.Noise;
using Mgr.Protocol.Transport.Tcp;

namespace Mgr.Bench.Transport;

/// <summary>Connection set-up rate over 127.0.0.1, both ends in this process: a bare TCP connect (Baseline), TCP +
/// multistream + Noise XX handshake (secp256k1 identities), and a full <see cref="Libp2pHost"/> dial (TCP, Noise,
/// Yamux negotiation) followed by closing the connection. The "per second" column is 1 / mean time.</summary>
[Config(typeof(HandshakeConfig))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet drives the lifetime: GlobalCleanup disposes.")]
public class HandshakeBenchmarks
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private TcpAcceptor _plainListener = null!, _noiseListener = null!;
    private IPEndPoint _plainEndpoint = null!, _noiseEndpoint = null!;
    private NoiseSecurity _clientNoise = null!, _serverNoise = null!;
    private Libp2pHost _server = null!, _client = null!;
    private Multiaddr _serverAddress = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clientNoise = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        _serverNoise = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        _plainListener = TcpAcceptor.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        _plainEndpoint = TcpTransport.ToIPEndPoint(_plainListener.Address)!;
        _loops.Add(AcceptLoopAsync(_plainListener, connection => connection.Stream.DisposeAsync().AsTask()));
        _noiseListener = TcpAcceptor.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"));
        _noiseEndpoint = TcpTransport.ToIPEndPoint(_noiseListener.Address)!;
        _loops.Add(AcceptLoopAsync(_noiseListener, ServeNoiseAsync));

        _server = new Libp2pHost(Secp256k1IdentityKey.Generate(), new HostOptions { MaxPendingHandshakes = 1024, MaxConnections = 4096 });
        _serverAddress = _server.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")).WithPeerId(_server.PeerId);
        _client = new Libp2pHost(Secp256k1IdentityKey.Generate());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop.Cancel();
        _plainListener.Dispose();
        _noiseListener.Dispose();
        Task.WhenAll(_loops).GetAwaiter().GetResult();
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public async Task TcpConnect()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_plainEndpoint);
    }

    [Benchmark]
    public async Task NoiseHandshake()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_noiseEndpoint);
        var stream = new NetworkStream(socket, ownsSocket: true);
        await MultistreamSelect.SelectAsync(stream, [NoiseSecurity.ProtocolId], CancellationToken.None);
        await using NoiseStream secured = await _clientNoise.SecureOutboundAsync(stream, _serverNoise.Identity.PeerId, CancellationToken.None);
        await secured.WriteAsync(new byte[1]); // the responder's handshake finishes when our third message arrives
        await secured.ReadExactlyAsync(new byte[1]);
    }

    [Benchmark]
    public async Task HostDialAndClose()
    {
        PeerConnection connection = await _client.DialAsync(_serverAddress, CancellationToken.None);
        await connection.DisposeAsync();
    }

    private async Task AcceptLoopAsync(TcpAcceptor listener, Func<TcpConnection, Task> serve)
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                TcpConnection connection = await listener.AcceptAsync(_stop.Token);
                running.Add(serve(connection));
                running.RemoveAll(task => task.IsCompleted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Cleanup stops the listener.
        }
        await Task.WhenAll(running);
    }

    private async Task ServeNoiseAsync(TcpConnection connection)
    {
        try
        {
            await MultistreamSelect.ListenAsync(connection.Stream, [NoiseSecurity.ProtocolId], _stop.Token);
            await using NoiseStream secured = await _serverNoise.SecureInboundAsync(connection.Stream, _stop.Token);
            byte[] one = new byte[1];
            await secured.ReadExactlyAsync(one, _stop.Token);
            await secured.WriteAsync(one, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or NoiseException or MultistreamException or ObjectDisposedException)
        {
            await connection.Stream.DisposeAsync();
        }
    }

    private sealed class HandshakeConfig : ManualConfig
    {
        public HandshakeConfig() => AddColumn(new RateColumn());
    }

    // Operations per second: 1 / mean time.
    private sealed class RateColumn : IColumn
    {
        public string Id => nameof(RateColumn);
        public string ColumnName => "per second";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Operations per second: 1 / mean time";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is > 0 ? (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
        }

        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
