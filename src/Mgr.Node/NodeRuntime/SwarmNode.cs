using Mgr.Node.Metrics;
using Mgr.Node.Peers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Trie.Nodes;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.NodeRuntime;

/// <summary>A running swarm node: a libp2p host listening on the configured addresses, the MGR transport, the engine
/// over the node's store, its loop, a keeper that holds a session with every bootnode (redialling after a delay), and
/// peer discovery that adds sessions with the swarm's other peers up to a target count.
/// Finalized epochs are fed with <see cref="OnEpochFinalized"/> by whatever follows the chain (the consensus driver,
/// a devnet follower).</summary>
/// <remarks>Engine state is touched only on the loop: use <see cref="ReadAsync{T}"/> to look at it from outside.</remarks>
public sealed partial class SwarmNode : ISwarmControl, IAsyncDisposable
{
    private static readonly TimeSpan PeerRefreshInterval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly SwarmLoop _loop = new();
    private readonly SystemClock _clock = new();
    private TimeSpan _peersRefreshedAt;
    private readonly IKeyValueStore _store;
    private readonly Lock _indexLock = new();
    private Task _indexing = Task.CompletedTask;
    private ulong? _offeredEpoch;
    private readonly Role _role;

    private SwarmNode(IdentityKey identity, IKeyValueStore store, SwarmNodeOptions options)
    {
        _store = store;
        _role = options.Swarm.Role;
        Host = new Libp2pHost(identity);
        Addresses = [.. options.Listen.Select(address => Host.Listen(address).WithPeerId(Host.PeerId))];
        Bans = new PersistentBans(store);
        Transport = new Libp2pSwarmTransport(Host, _loop) { OutgoingFilter = options.OutgoingFilter, Refuses = Bans.IsBanned };
        Metrics = new SwarmMetrics(Host.PeerId.ToString());
        Engine = new SwarmEngine(options.Swarm, store, Transport, _clock, Metrics);
        TimeSpan banDuration = options.Swarm.Penalties.BanDuration;
        Engine.Penalized += (peer, _, banned) =>
        {
            if (banned && Transport.PeerIdOf(peer) is { } id) Bans.Ban(id, banDuration);
        };
        if (options.Logger is { } logger)
        {
            Engine.Penalized += (peer, reason, banned) =>
            {
                LogLevel level = banned ? LogLevel.Warning : LogLevel.Debug;
                if (!logger.IsEnabled(level)) return;
                PeerId? id = Transport.PeerIdOf(peer);
                if (banned) Log.Banned(logger, id, reason);
                else Log.Penalized(logger, id, reason);
            };
            Engine.Synced += (anchor, verification) => Log.Synced(logger, anchor.Number, anchor.StateRoot, verification.Accounts);
            Engine.VerificationFailed += (anchor, verification) => Log.VerificationFailed(logger, anchor.Number, verification.Problem);
        }
        Transport.Attach(Engine);
        HeaderPeers = new SwarmHeaderPeers(_loop, () => Engine, Transport.PeerIdOf);
        _tasks.Add(_loop.RunAsync(Tick, options.TickInterval, _stop.Token, idle: Engine.ContinueRide));
        foreach (Multiaddr bootnode in options.Bootnodes) _tasks.Add(KeepSessionAsync(bootnode, options.RedialDelay, _stop.Token));
        Discovery = new PeerDiscovery(Host, Transport.RunOutboundAsync, () => Transport.SessionCount, Transport.HasSession, options.TargetPeers, options.Logger);
    }

    /// <summary>Bans kept in the store, so a restart does not forgive a banned peer.</summary>
    public PersistentBans Bans { get; }

    /// <summary>Peer exchange: finds and dials peers beyond the bootnodes up to the target count.</summary>
    public PeerDiscovery Discovery { get; }

    /// <summary>The libp2p host.</summary>
    public Libp2pHost Host { get; }

    /// <summary>Bound listen addresses with this node's <c>/p2p/</c> id (what others use as a bootnode).</summary>
    public IReadOnlyList<Multiaddr> Addresses { get; }

    /// <summary>The MGR transport.</summary>
    public Libp2pSwarmTransport Transport { get; }

    /// <summary>The engine (touch only through <see cref="ReadAsync{T}"/> or <see cref="OnEpochFinalized"/>).</summary>
    public SwarmEngine Engine { get; }

    /// <summary>The connected peers as the header download uses them.</summary>
    public SwarmHeaderPeers HeaderPeers { get; }

    /// <summary>The engine's loop has stopped because an event handler threw (a bug): the node cannot go on. Completes
    /// normally only at disposal.</summary>
    public Task Completion => _tasks[0];

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

    /// <summary>When set, this node may hold an epoch's state itself (it follows the chain, <see cref="FollowMode"/>): each
    /// new epoch is offered to it first; true means the store holds that state and the engine seeds the epoch, false
    /// that the engine syncs it from the swarm.</summary>
    public Func<EpochAnchor, CancellationToken, Task<bool>>? OwnStateReady { get; set; }

    /// <summary>Hands a finalized epoch boundary to the engine (on its loop); an epoch already handed over is ignored. For
    /// a seeder — or a node that holds the epoch's state itself (<see cref="OwnStateReady"/>) — the epoch's index, which
    /// walks the whole state, is built first on the thread pool, so the loop keeps serving meanwhile.</summary>
    public void OnEpochFinalized(EpochAnchor anchor)
    {
        lock (_indexLock)
        {
            if (_offeredEpoch is { } offered && anchor.Number <= offered) return;
            _offeredEpoch = anchor.Number;
            if (_role != Role.Seeder && OwnStateReady is null)
            {
                _loop.Post(() => Engine.OnEpochFinalized(anchor));
                return;
            }
            Func<EpochAnchor, CancellationToken, Task<bool>>? ready = _role == Role.Seeder ? null : OwnStateReady;
            _indexing = _indexing.ContinueWith(_ => OfferAsync(anchor, ready), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task OfferAsync(EpochAnchor anchor, Func<EpochAnchor, CancellationToken, Task<bool>>? ready)
    {
        if (ready is not null)
        {
            bool held;
            try
            {
                held = await ready(anchor, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!held)
            {
                _loop.Post(() => Engine.OnEpochFinalized(anchor));
                return;
            }
        }
        IndexAndPost(anchor, held: ready is not null);
    }

    // Builds the epoch's index, then hands both to the engine. A store without that state is a fatal fault of the
    // node (a seeder must hold what it serves): it ends the engine's loop with the reason.
    private void IndexAndPost(EpochAnchor anchor, bool held)
    {
        if (_stop.IsCancellationRequested) return;
        try
        {
            EpochIndex index = EpochIndex.Build(new TrieNodeStore(_store), anchor.StateRoot);
            if (held) _loop.Post(() => Engine.OnEpochHeld(anchor, index));
            else _loop.Post(() => Engine.OnEpochFinalized(anchor, index));
        }
        catch (Exception error) when (error is TrieException or StorageException)
        {
            _loop.Post(() => throw new InvalidOperationException($"cannot serve epoch {anchor.Number}: the store lacks its state (root {anchor.StateRoot}): {error.Message}", error));
        }
    }

    /// <summary>Evaluates <paramref name="read"/> on the engine's loop.</summary>
    public Task<T> ReadAsync<T>(Func<SwarmEngine, T> read, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() =>
        {
            try
            {
                result.TrySetResult(read(Engine));
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                result.TrySetException(error);
            }
        });
        return cancellation.CanBeCanceled ? result.Task.WaitAsync(cancellation) : result.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the engine's loop.</summary>
    public void Post(Action<SwarmEngine> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _loop.Post(() => action(Engine));
    }

    public Task<SwarmProgress> ProgressAsync(CancellationToken cancellation) => ReadAsync(static engine => engine.Progress(), cancellation);

    private void Tick()
    {
        Engine.OnTick();
        TimeSpan now = _clock.Now;
        if (now - _peersRefreshedAt < PeerRefreshInterval) return;
        _peersRefreshedAt = now;
        HeaderPeers.Refresh(Engine.ActivePeers());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Discovery.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        Task indexing;
        lock (_indexLock) indexing = _indexing;
        await indexing.ConfigureAwait(false);
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

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "penalized {Peer}: {Reason}")]
        public static partial void Penalized(ILogger logger, PeerId? peer, ViolationReason reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "banned {Peer} after {Reason}")]
        public static partial void Banned(ILogger logger, PeerId? peer, ViolationReason reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "state of epoch {Epoch} verified: root {Root}, {Accounts} accounts; now seeding it")]
        public static partial void Synced(ILogger logger, ulong epoch, Hash256 root, long accounts);

        [LoggerMessage(Level = LogLevel.Warning, Message = "state of epoch {Epoch} failed verification ({Problem}); syncing the epoch again")]
        public static partial void VerificationFailed(ILogger logger, ulong epoch, string? problem);
    }
}
