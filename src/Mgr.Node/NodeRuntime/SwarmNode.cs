using Mgr.Node.Metrics;
using Mgr.Node.Peers;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;

namespace Mgr.Node.NodeRuntime;

/// <summary>A running swarm node: a libp2p host listening on the configured addresses, the MGR transport, the engine
/// over the node's store, its loop, and a keeper that holds a session with every bootnode (redialling after a delay).
/// Finalized epochs are fed with <see cref="OnEpochFinalized"/> by whatever follows the chain (the consensus driver,
/// a devnet follower).</summary>
/// <remarks>Engine state is touched only on the loop: use <see cref="ReadAsync{T}"/> to look at it from outside.</remarks>
public sealed class SwarmNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly SwarmLoop _loop = new();

    private SwarmNode(IdentityKey identity, IKeyValueStore store, SwarmNodeOptions options)
    {
        Host = new Libp2pHost(identity);
        Addresses = [.. options.Listen.Select(address => Host.Listen(address).WithPeerId(Host.PeerId))];
        Transport = new Libp2pSwarmTransport(Host, _loop);
        Metrics = new SwarmMetrics(Host.PeerId.ToString());
        Engine = new SwarmEngine(options.Swarm, store, Transport, new SystemClock(), Metrics);
        Transport.Attach(Engine);
        _tasks.Add(_loop.RunAsync(Engine.OnTick, options.TickInterval, _stop.Token));
        foreach (Multiaddr bootnode in options.Bootnodes) _tasks.Add(KeepSessionAsync(bootnode, options.RedialDelay, _stop.Token));
    }

    /// <summary>The libp2p host.</summary>
    public Libp2pHost Host { get; }

    /// <summary>Bound listen addresses with this node's <c>/p2p/</c> id (what others use as a bootnode).</summary>
    public IReadOnlyList<Multiaddr> Addresses { get; }

    /// <summary>The MGR transport.</summary>
    public Libp2pSwarmTransport Transport { get; }

    /// <summary>The engine (touch only through <see cref="ReadAsync{T}"/> or <see cref="OnEpochFinalized"/>).</summary>
    public SwarmEngine Engine { get; }

    /// <summary>The engine's instruments (meter <see cref="SwarmMetrics.MeterName"/>).</summary>
    public SwarmMetrics Metrics { get; }

    /// <summary>Starts a node; listening has begun when this returns.</summary>
    public static SwarmNode Start(IdentityKey identity, IKeyValueStore store, SwarmNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        return new SwarmNode(identity, store, options);
    }

    /// <summary>Hands a finalized epoch boundary to the engine (on its loop).</summary>
    public void OnEpochFinalized(EpochAnchor anchor) => _loop.Post(() => Engine.OnEpochFinalized(anchor));

    /// <summary>Evaluates <paramref name="read"/> on the engine's loop.</summary>
    public Task<T> ReadAsync<T>(Func<SwarmEngine, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() => result.SetResult(read(Engine)));
        return result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        Metrics.Dispose();
        _stop.Dispose();
    }

    private async Task KeepSessionAsync(Multiaddr bootnode, TimeSpan redialDelay, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Transport.RunOutboundAsync(bootnode, cancellation).ConfigureAwait(false);
            }
            catch (Exception error) when (error is HostException or IOException or ObjectDisposedException)
            {
                // Unreachable or closed: try again after the delay.
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await Task.Delay(redialDelay, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
