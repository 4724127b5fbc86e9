using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;

namespace Mgr.Bench.Transport;

/// <summary>Memory held by idle, fully upgraded connections (TCP + Noise + Yamux, both ends in this process). Setup
/// opens <see cref="Connections"/> connections from one host to another, lets them settle, forces a full GC and prints
/// the managed-heap and working-set growth per connection (both ends together) to the log ("IDLE-MEMORY …" line).
/// The timed part opens one more connection and closes it again, so the figures stay comparable between runs.</summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet drives the lifetime: GlobalCleanup disposes.")]
public class IdleConnectionMemoryBenchmarks
{
    /// <summary>Idle connections held open during the measurement.</summary>
    public const int Connections = 200;

    private readonly List<PeerConnection> _held = [];
    private Libp2pHost _server = null!, _client = null!;
    private Multiaddr _serverAddress = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task OpenAndCloseOneMore()
    {
        PeerConnection connection = await _client.DialAsync(_serverAddress, CancellationToken.None);
        await connection.DisposeAsync();
    }

    private async Task SetupAsync()
    {
        var options = new HostOptions { MaxConnections = 4 * Connections, IdleTimeout = null };
        _server = new Libp2pHost(Secp256k1IdentityKey.Generate(), options);
        _serverAddress = _server.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")); // no /p2p: every dial is a new connection
        _client = new Libp2pHost(Secp256k1IdentityKey.Generate(), options);
        for (int i = 0; i < 10; i++) // warm up code paths and buffer pools first
        {
            await (await _client.DialAsync(_serverAddress, CancellationToken.None)).DisposeAsync();
        }

        (long managedBefore, long workingSetBefore) = Measure();
        for (int i = 0; i < Connections; i++) _held.Add(await _client.DialAsync(_serverAddress, CancellationToken.None));
        await Task.Delay(1000);
        (long managedAfter, long workingSetAfter) = Measure();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IDLE-MEMORY connections={Connections} managedBytesPerConnection={(managedAfter - managedBefore) / Connections} " +
            $"workingSetBytesPerConnection={(workingSetAfter - workingSetBefore) / Connections} (both ends of each connection)"));
    }

    private static (long Managed, long WorkingSet) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using Process process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
