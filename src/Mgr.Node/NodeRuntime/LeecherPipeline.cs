using Mgr.Node.Chain;
using Mgr.Node.Dashboard;
using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Protocol.Epochs;

namespace Mgr.Node.NodeRuntime;

/// <summary>A syncing node's chain side: the staged pipeline Headers → State → Heal → Verify → Serve (→ Backfill when
/// asked), driven by the consensus driver through <see cref="ChainSync"/>. Headers download backwards from each
/// finalized block to the weak-subjectivity checkpoint from the swarm's peers; the swarm stages take each epoch's
/// anchor from those verified headers and follow the engine to a verified state.</summary>
/// <remarks>Owns the header dispatcher. <see cref="RunAsync"/> returns when cancelled, or throws
/// <see cref="HeaderSyncException"/> when the chain contradicts the checkpoint.</remarks>
public sealed class LeecherPipeline : IAsyncDisposable
{
    private static readonly StageId[] Order = [StageId.Headers, StageId.State, StageId.Heal, StageId.Verify, StageId.Serve];

    private readonly IKeyValueStore _store;
    private readonly HeaderDispatcher _dispatcher;
    private readonly StagedPipeline _pipeline;
    private readonly IReadOnlyList<IHeaderPeer> _peers;
    private readonly ISwarmControl _swarm;
    private readonly SwarmStage _state;

    /// <summary>Builds the pipeline over <paramref name="store"/>.</summary>
    public LeecherPipeline(IKeyValueStore store, WeakSubjectivityCheckpoint checkpoint, IReadOnlyList<IHeaderPeer> peers, ISwarmControl swarm,
                           EpochSchedule schedule, HeaderSyncOptions options, PreverifiedHashes? backfill)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _peers = peers ?? throw new ArgumentNullException(nameof(peers));
        _swarm = swarm ?? throw new ArgumentNullException(nameof(swarm));
        Target = new HeaderSyncTarget(checkpoint);
        _dispatcher = new HeaderDispatcher(peers, options);
        _state = new SwarmStage(StageId.State, SwarmMilestone.AccountsHeld, store, schedule, swarm);
        List<IStage> stages =
        [
            new HeadersStage(store, Target, _dispatcher, options),
            _state,
            new SwarmStage(StageId.Heal, SwarmMilestone.Complete, store, schedule, swarm),
            new SwarmStage(StageId.Verify, SwarmMilestone.Verified, store, schedule, swarm),
            new SwarmStage(StageId.Serve, SwarmMilestone.Serving, store, schedule, swarm),
        ];
        if (backfill is not null) stages.Add(new BackfillStage(store, Target, _dispatcher, options, backfill));
        _pipeline = new StagedPipeline(store, stages);
        View = new StoreChainView(store, Target, Order);
    }

    /// <summary>The checkpoint (bottom) and the latest finalized header (top).</summary>
    public HeaderSyncTarget Target { get; }

    /// <summary>The chain as the Engine API and the checkpoint endpoint see it.</summary>
    public StoreChainView View { get; }

    /// <summary>Follows <paramref name="driver"/> and syncs until cancelled. A restarted node first hands the swarm the epoch
    /// its State stage completed before it stopped (see <see cref="ResumeEpoch"/>).</summary>
    public Task RunAsync(IConsensusDriver driver, CancellationToken cancellation)
    {
        ResumeEpoch();
        return new ChainSync(driver, Target, _pipeline, _peers).RunAsync(cancellation);
    }

    /// <summary>Hands the swarm the epoch of the State stage's completed checkpoint, if any. The pipeline skips every stage
    /// already at its target, and only the State stage hands epochs over: without this, a node stopped once its accounts
    /// were held — during Heal, Verify or Serve, or after them — would leave its engine without an epoch (not healing,
    /// not verifying, not serving or following) until the next finalized block moved the target.</summary>
    private void ResumeEpoch()
    {
        if (StageCheckpoints.Read(_store, StageId.State) is { Cursor.IsEmpty: true, BlockNumber: > 0 } state && _state.AnchorOf(state.BlockNumber) is { } anchor)
            _swarm.OnEpochFinalized(anchor);
    }

    /// <summary>Progress bars for the status display: headers held between the checkpoint and the finalized block.</summary>
    public IReadOnlyList<StageProgress> Progress()
    {
        ulong checkpoint = Target.Checkpoint.Number;
        double total = Target.Finalized is { } top && top.Number >= checkpoint ? top.Number - checkpoint + 1 : 0;
        double held = 0;
        foreach (HeaderSegment segment in HeaderSegmentStore.ReadAll(_store))
            if (segment.To >= checkpoint) held += segment.To - Math.Max(segment.From, checkpoint) + 1;
        return total == 0 ? [] : [new StageProgress("headers", Math.Min(held, total), total, "blocks")];
    }

    public ValueTask DisposeAsync() => _dispatcher.DisposeAsync();
}
