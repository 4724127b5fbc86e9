using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;

namespace Mgr.Node.Tests.Peers;

/// <summary>A swarm engine on its own loop over a real libp2p host listening on 127.0.0.1, for transport tests.</summary>
internal sealed class TcpSwarmNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];

    public TcpSwarmNode(SwarmOptions options, InMemoryKeyValueStore store, SwarmTransportOptions? transportOptions = null)
    {
        Host = new Libp2pHost(Ed25519IdentityKey.Generate());
        Address = Host.Listen(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")).WithPeerId(Host.PeerId);
        Loop = new SwarmLoop();
        Transport = new Libp2pSwarmTransport(Host, Loop, transportOptions);
        Engine = new SwarmEngine(options, store, Transport, new SystemClock());
        Transport.Attach(Engine);
        _tasks.Add(Loop.RunAsync(Engine.OnTick, TimeSpan.FromMilliseconds(20), _stop.Token));
    }

    public Libp2pHost Host { get; }

    public Multiaddr Address { get; }

    public SwarmLoop Loop { get; }

    public Libp2pSwarmTransport Transport { get; }

    public SwarmEngine Engine { get; }

    public void Dial(Multiaddr address) => _tasks.Add(Transport.RunOutboundAsync(address, _stop.Token));

    /// <summary>Evaluates <paramref name="check"/> on the engine's loop.</summary>
    public Task<T> OnLoopAsync<T>(Func<SwarmEngine, T> check)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Loop.Post(() => result.SetResult(check(Engine)));
        return result.Task;
    }

    /// <summary>Polls <paramref name="check"/> on the loop until it holds or <paramref name="limit"/> passes.</summary>
    public async Task<bool> EventuallyAsync(Func<SwarmEngine, bool> check, TimeSpan limit)
    {
        DateTime deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await OnLoopAsync(check)) return true;
            await Task.Delay(20);
        }
        return await OnLoopAsync(check);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Host.DisposeAsync();
        try
        {
            await Task.WhenAll(_tasks);
        }
        catch (Exception error) when (error is OperationCanceledException or HostException or IOException)
        {
            // Sessions end with the host.
        }
        _stop.Dispose();
    }
}
