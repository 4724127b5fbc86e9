using Mgr.Node.Chain;
using Mgr.Node.Devnet;
using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Swarm;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.NodeRuntime;

/// <summary>A benevolent full node on a devnet: it keeps its own store in step with the devnet's chain log (as an
/// executing client would, every block's state root checked: <see cref="DevnetFollower"/>), and when the consensus
/// driver finalizes a block it hands the epoch's boundary state to the swarm engine, which rides and serves it.</summary>
/// <remarks>Every stage checkpoint is written as complete to the finalized block it serves (the node holds that state
/// by construction), so <c>mgr status</c> and the Engine API's SYNCING/VALID answers read the same as on a synced
/// leecher. One loop owns the follower; the consensus events are read on a second task that only records the latest
/// finalized hash.</remarks>
public sealed partial class DevnetSeeder : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly StageId[] Stages = [StageId.Headers, StageId.State, StageId.Heal, StageId.Verify, StageId.Serve];

    private readonly IKeyValueStore _store;
    private readonly DevnetFollower _follower;
    private readonly SwarmNode _swarm;
    private readonly EpochSchedule _schedule;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Hash256 _finalizedHash;
    private ulong? _servedEpoch;

    private DevnetSeeder(IKeyValueStore store, DevnetFollower follower, SwarmNode swarm, EpochSchedule schedule, HeaderSyncTarget target, ILogger logger)
    {
        _store = store;
        _follower = follower;
        _swarm = swarm;
        _schedule = schedule;
        _logger = logger;
        Target = target;
        View = new StoreChainView(store, target, Stages);
    }

    /// <summary>The finalized header the seeder serves up to.</summary>
    public HeaderSyncTarget Target { get; }

    /// <summary>The chain as the Engine API and the checkpoint endpoint see it.</summary>
    public StoreChainView View { get; }

    /// <summary>The latest block applied to the store.</summary>
    public BlockHeader Head => _follower.Head;

    /// <summary>Opens the devnet at <paramref name="devnet"/> and catches the store up with its chain log.</summary>
    /// <exception cref="DevnetException">When the devnet is incomplete or the store holds another chain.</exception>
    public static DevnetSeeder Open(DevnetDirectory devnet, IKeyValueStore store, string temporaryDirectory, SwarmNode swarm, EpochSchedule schedule,
                                    WeakSubjectivityCheckpoint genesis, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(temporaryDirectory);
        DevnetFollower follower = DevnetFollower.Open(devnet, store, temporaryDirectory);
        var seeder = new DevnetSeeder(store, follower, swarm, schedule, new HeaderSyncTarget(genesis), logger);
        int applied = follower.CatchUp();
        Log.CaughtUp(logger, applied, follower.Head.Number);
        return seeder;
    }

    /// <summary>Follows the chain log and the driver until cancelled.</summary>
    public async Task RunAsync(IConsensusDriver driver, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(driver);
        Task events = ReadFinalizedAsync(driver, cancellation);
        try
        {
            using var timer = new PeriodicTimer(Poll);
            do
            {
                int applied = _follower.CatchUp();
                if (applied > 0) Log.Applied(_logger, applied, _follower.Head.Number);
                Serve();
            }
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            await events.ConfigureAwait(false);
        }
    }

    // Once the finalized block is applied: the target moves, stage checkpoints say so, and a new epoch goes to the engine.
    private void Serve()
    {
        Hash256 finalizedHash;
        lock (_gate) finalizedHash = _finalizedHash;
        if (finalizedHash.IsZero || StoredChain.ReadCanonical(_store, NumberOf(finalizedHash) ?? ulong.MaxValue) is not { } finalized
            || finalized.Hash != finalizedHash || !Target.Advance(finalized)) return;
        ulong epoch = _schedule.CurrentEpoch(finalized.Number);
        BlockHeader boundary = StoredChain.ReadCanonical(_store, _schedule.BoundaryNumber(epoch))
            ?? throw new DevnetException($"the store lacks the canonical header of epoch boundary {_schedule.BoundaryNumber(epoch)}");
        using (IWriteBatch batch = _store.BeginBatch())
        {
            foreach (StageId stage in Stages) StageCheckpoints.Save(batch, stage, new StageCheckpoint(finalized.Number, ReadOnlyMemory<byte>.Empty));
            batch.Commit();
        }
        var head = new BlockRef(_follower.Head.Hash, _follower.Head.Number);
        var final = new BlockRef(finalized.Hash, finalized.Number);
        _swarm.Post(engine => engine.SetChainHead(head, final));
        if (_servedEpoch == epoch) return;
        _servedEpoch = epoch;
        _swarm.OnEpochFinalized(new EpochAnchor(epoch, boundary.Hash, boundary.StateRoot));
        Log.Serving(_logger, epoch, boundary.Number, boundary.StateRoot);
    }

    private ulong? NumberOf(Hash256 hash) => HeaderStore.TryReadNumber(_store, hash, out ulong number) ? number : null;

    private async Task ReadFinalizedAsync(IConsensusDriver driver, CancellationToken cancellation)
    {
        try
        {
            await foreach (ConsensusEvent e in driver.ReadEventsAsync(cancellation).ConfigureAwait(false))
                if (e is FinalizedBlockReceived finalized)
                    lock (_gate) _finalizedHash = finalized.Hash;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _follower.Dispose();

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "devnet: store caught up with the chain log ({Applied} blocks applied, head {Head})")]
        public static partial void CaughtUp(ILogger logger, int applied, ulong head);

        [LoggerMessage(Level = LogLevel.Debug, Message = "devnet: applied {Applied} blocks, head {Head}")]
        public static partial void Applied(ILogger logger, int applied, ulong head);

        [LoggerMessage(Level = LogLevel.Information, Message = "seeding epoch {Epoch} (boundary block {Boundary}, state root {Root})")]
        public static partial void Serving(ILogger logger, ulong epoch, ulong boundary, Hash256 root);
    }
}
