using System.Threading.Channels;
using Mgr.Node.Chain;
using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Trie.Headers;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.NodeRuntime;

/// <summary>A synced leecher staying current (spec/follow.md): from the epoch it verified, it follows every new head by
/// verified per-block state diffs fetched from its peers (<see cref="ChainFollower"/> over a <see cref="LayerTree"/>),
/// flattening finalized blocks into its store. From then on the flat state follows the chain, not an epoch root, so
/// each later epoch is not synced again: once the flattened state reaches its boundary the engine seeds it
/// (<see cref="SwarmNode.OwnStateReady"/>).</summary>
/// <remarks>One task owns the follower and handles the consensus events in order (<see cref="Publish"/> queues them).
/// Entering follow mode writes the state-block marker and forgets the sync-progress records in one batch (they describe
/// an epoch root the flat state is about to leave); a restarted node with a marker and a verified state resumes here.
/// When the state cannot be kept current — no peer serves the diffs, or the node fell further behind than the layers
/// allow — <see cref="WaitForBlockAsync"/> gives up, the marker is removed and the engine syncs the epoch from the
/// swarm again.</remarks>
public sealed partial class FollowMode : IAsyncDisposable
{
    /// <summary>How long an epoch waits for the followed state to reach its boundary before the node syncs it instead.</summary>
    public static readonly TimeSpan EpochWait = TimeSpan.FromMinutes(2);

    /// <summary>How often a head whose header or diff no peer had yet is asked for again before waiting for the next head.</summary>
    public const int UnavailableRetries = 3;

    /// <summary>The pause before each of those retries.</summary>
    public static readonly TimeSpan UnavailableRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IKeyValueStore _store;
    private readonly FollowSources _sources;
    private readonly ILogger _logger;
    private readonly Channel<ConsensusEvent> _events = Channel.CreateBounded<ConsensusEvent>(
        new BoundedChannelOptions(ConsensusEventChannel.Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private ChainFollower? _follower;
    private long _baseNumber = -1;
    private long _headNumber = -1;

    public FollowMode(IKeyValueStore store, FollowSources sources, ILogger logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sources = sources ?? throw new ArgumentNullException(nameof(sources));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>True while the node follows the chain.</summary>
    public bool Active => Volatile.Read(ref _baseNumber) >= 0;

    /// <summary>The block whose state the store holds (-1 when not following).</summary>
    public long BaseNumber => Volatile.Read(ref _baseNumber);

    /// <summary>The followed head (-1 when not following).</summary>
    public long HeadNumber => Volatile.Read(ref _headNumber);

    /// <summary>True when the store holds a verified state with its marker: a restarted node follows from there. The
    /// marker alone decides: it is written only once the engine verified the state (<see cref="StartAt"/>), in the batch
    /// that clears the sync-progress records, and the pipeline records its Verify stage only after that; a node killed
    /// between the two must follow, not sync again from nothing.</summary>
    public static bool CanResume(IKeyValueReader store) => StateBlockStore.TryRead(store, out _);

    /// <summary>Enters follow mode at the verified epoch boundary <paramref name="boundary"/>: writes the state-block marker
    /// and clears the sync-progress records in one batch, then starts following.</summary>
    public void StartAt(BlockHeader boundary)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        if (Active) return;
        using (IWriteBatch batch = _store.BeginBatch())
        {
            StateBlockStore.Write(batch, new StateBlock(boundary.Number, boundary.Hash, boundary.StateRoot));
            foreach (Mgr.Trie.Primitives.Hash256 root in SyncProgressStore.ReadAll(_store).Keys) SyncProgressStore.Clear(_store, batch, root);
            batch.Commit();
        }
        Resume();
    }

    /// <summary>Starts following from the store's marker (see <see cref="CanResume"/>).</summary>
    public void Resume()
    {
        if (Active) return;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        var tree = new LayerTree(_store);
        _follower = new ChainFollower(tree, _store, _sources, logger: _logger);
        Volatile.Write(ref _baseNumber, (long)tree.Base.Number);
        Volatile.Write(ref _headNumber, (long)tree.Head.Number);
        Log.Following(_logger, tree.Base.Number, tree.Base.StateRoot);
        _run = RunAsync(_follower, _stop.Token);
    }

    /// <summary>The state diff of a block held in memory (a layer), for serving GetStateDiff; false when not held or not
    /// following. Safe from any thread.</summary>
    public bool TryGetLayerDiff(Mgr.Trie.Primitives.Hash256 block, out ulong number, out ReadOnlyMemory<byte> encodedDiff)
    {
        if (Active && Volatile.Read(ref _follower) is { } follower) return follower.Layers.TryGetLayerDiff(block, out number, out encodedDiff);
        number = 0;
        encodedDiff = default;
        return false;
    }

    /// <summary>Queues a consensus event for the follower (dropped when not following).</summary>
    public void Publish(ConsensusEvent consensusEvent)
    {
        if (Active) _events.Writer.TryWrite(consensusEvent);
    }

    /// <summary>Waits until the followed state reaches block <paramref name="number"/>: true when it does; false when not
    /// following, or after <paramref name="limit"/> (follow mode is then left: the marker is removed and the node syncs
    /// from the swarm).</summary>
    public async Task<bool> WaitForBlockAsync(ulong number, TimeSpan limit, CancellationToken cancellation)
    {
        if (!Active) return false;
        DateTime deadline = DateTime.UtcNow + limit;
        while (BaseNumber < (long)number)
        {
            if (DateTime.UtcNow >= deadline)
            {
                await LeaveAsync().ConfigureAwait(false);
                return false;
            }
            await Task.Delay(200, cancellation).ConfigureAwait(false);
        }
        return true;
    }

    private async Task LeaveAsync()
    {
        Log.Leaving(_logger, BaseNumber);
        await _stop.CancelAsync().ConfigureAwait(false);
        await IgnoreCancellation(_run).ConfigureAwait(false);
        using (IWriteBatch batch = _store.BeginBatch())
        {
            batch.Delete(Schema.Meta, Schema.StateBlockKey);
            batch.Commit();
        }
        Volatile.Write(ref _baseNumber, -1);
        Volatile.Write(ref _headNumber, -1);
    }

    private async Task RunAsync(ChainFollower follower, CancellationToken cancellation)
    {
        await foreach (ConsensusEvent consensusEvent in _events.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            for (int attempt = 0; ; attempt++)
            {
                FollowOutcome? outcome = await follower.HandleAsync(consensusEvent, cancellation).ConfigureAwait(false);
                long before = BaseNumber;
                Volatile.Write(ref _baseNumber, (long)follower.Layers.Base.Number);
                Volatile.Write(ref _headNumber, (long)follower.Layers.Head.Number);
                if (outcome is not { Status: not FollowStatus.Followed } failed)
                {
                    if (BaseNumber != before) Log.Finalized(_logger, follower.Layers.Base.Number, follower.Layers.Head.Number, follower.Layers.LayerCount);
                    break;
                }
                // A head often reaches us before our peers have applied it: ask again shortly rather than a slot later,
                // unless a newer event is already waiting (it supersedes this one).
                if (failed.Status == FollowStatus.Unavailable && attempt < UnavailableRetries && _events.Reader.Count == 0)
                {
                    Log.Retrying(_logger, failed.Detail);
                    await Task.Delay(UnavailableRetryDelay, cancellation).ConfigureAwait(false);
                    continue;
                }
                Log.NotFollowed(_logger, failed.Status, failed.Detail);
                break;
            }
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await IgnoreCancellation(_run).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "following the chain by state diffs from block {Number} (state root {Root})")]
        public static partial void Following(ILogger logger, ulong number, Mgr.Trie.Primitives.Hash256 root);

        [LoggerMessage(Level = LogLevel.Information, Message = "follow: finalized state at block {Base}, head {Head}, {Layers} layers in memory")]
        public static partial void Finalized(ILogger logger, ulong @base, ulong head, int layers);

        [LoggerMessage(Level = LogLevel.Debug, Message = "follow: not available yet ({Detail}); asking again in a second")]
        public static partial void Retrying(ILogger logger, string? detail);

        [LoggerMessage(Level = LogLevel.Warning, Message = "follow: could not move on ({Status}: {Detail}); retrying at the next head")]
        public static partial void NotFollowed(ILogger logger, FollowStatus status, string? detail);

        [LoggerMessage(Level = LogLevel.Warning, Message = "follow: the state did not reach the next epoch from block {Base}; syncing it from the swarm instead")]
        public static partial void Leaving(ILogger logger, long @base);
    }
}
