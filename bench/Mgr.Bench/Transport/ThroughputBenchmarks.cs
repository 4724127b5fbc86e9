using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Bench.Transport;

/// <summary>One-stream throughput over 127.0.0.1: plain TCP (Baseline), Yamux over raw TCP, and the full stack
/// (TCP + Noise + Yamux between two <see cref="Libp2pHost"/>s). Each operation pushes <see cref="PayloadBytes"/>
/// and completes when the receiving side has read all of it; the MB/s column is payload / mean time.
/// bench/transport-throughput.sh runs this beside js-libp2p ↔ js-libp2p and prints the ratios.</summary>
[Config(typeof(ThroughputConfig))]
public class ThroughputBenchmarks
{
    /// <summary>Bytes pushed per operation.</summary>
    public const int PayloadBytes = 64 * 1024 * 1024;

    private const int ChunkBytes = 256 * 1024;
    private const string PushProtocol = "/mgr/bench/push/1.0.0";

    private readonly byte[] _chunk = new byte[ChunkBytes];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<Task> _drains = [];
    private CountingSink _tcpSink = null!, _yamuxSink = null!, _stackSink = null!;
    private Stream _tcpSender = null!, _yamuxSender = null!, _stackSender = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task PlainTcp() => PushAsync(_tcpSender, _tcpSink);

    [Benchmark]
    public Task YamuxOverTcp() => PushAsync(_yamuxSender, _yamuxSink);

    [Benchmark]
    public Task NoiseYamuxHost() => PushAsync(_stackSender, _stackSink);

    private async Task PushAsync(Stream sender, CountingSink sink)
    {
        Task received = sink.ExpectAsync(PayloadBytes);
        for (int sent = 0; sent < PayloadBytes; sent += ChunkBytes) await sender.WriteAsync(_chunk);
        await sender.FlushAsync();
        await received;
    }

    private async Task SetupAsync()
    {
        new Random(7).NextBytes(_chunk);

        (Socket tcpClient, Socket tcpServer) = await ConnectedSocketsAsync();
        _tcpSender = Own(new NetworkStream(tcpClient, ownsSocket: true));
        _tcpSink = new CountingSink();
        _drains.Add(_tcpSink.DrainAsync(Own(new NetworkStream(tcpServer, ownsSocket: true))));

        (Socket yamuxClient, Socket yamuxServer) = await ConnectedSocketsAsync();
        var dialler = Own(new YamuxSession(new NetworkStream(yamuxClient, ownsSocket: true), isInitiator: true));
        var listener = Own(new YamuxSession(new NetworkStream(yamuxServer, ownsSocket: true), isInitiator: false));
        _yamuxSender = await dialler.OpenStreamAsync();
        await _yamuxSender.WriteAsync(new byte[1]);
        YamuxStream accepted = (await listener.AcceptStreamAsync())!;
        await accepted.ReadExactlyAsync(new byte[1]);
        _yamuxSink = new CountingSink();
        _drains.Add(_yamuxSink.DrainAsync(accepted));

        _stackSink = new CountingSink();
        var server = Own(new Libp2pHost(Secp256k1IdentityKey.Generate()));
        server.SetHandler(PushProtocol, (channel, cancellation) => _stackSink.DrainAsync(channel.Stream));
        Multiaddr address = server.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")).WithPeerId(server.PeerId);
        var client = Own(new Libp2pHost(Secp256k1IdentityKey.Generate()));
        PeerConnection connection = await client.DialAsync(address, CancellationToken.None);
        ProtocolChannel channel = Own(await connection.OpenStreamAsync(PushProtocol, CancellationToken.None));
        _stackSender = channel.Stream;
    }

    private async Task CleanupAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        await Task.WhenAll(_drains);
    }

    private T Own<T>(T resource) where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    private static async Task<(Socket Client, Socket Server)> ConnectedSocketsAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Task<Socket> accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        Socket server = await accept;
        server.NoDelay = true;
        return (client, server);
    }

    /// <summary>Reads a stream to its end on a background task, counting bytes; <see cref="ExpectAsync"/> completes
    /// once a given number more have arrived.</summary>
    private sealed class CountingSink
    {
        private readonly Lock _lock = new();
        private long _received;
        private long _target = long.MaxValue;
        private TaskCompletionSource? _reached;

        public Task ExpectAsync(long bytes)
        {
            lock (_lock)
            {
                _target = _received + bytes;
                _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _reached.Task;
            }
        }

        public async Task DrainAsync(Stream stream)
        {
            byte[] buffer = new byte[ChunkBytes];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    lock (_lock)
                    {
                        _received += read;
                        if (_received >= _target) _reached?.TrySetResult();
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // Cleanup closes the connection under the reader.
            }
        }
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn(PayloadBytes));
    }
}
