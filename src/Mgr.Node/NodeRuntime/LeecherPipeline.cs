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

    /// <summary>Builds the pipeline over <paramref name="store"/>.</summary>
    public LeecherPipeline(IKeyValueStore store, WeakSubjectivityCheckpoint checkpoint, IReadOnlyList<IHeaderPeer> peers, ISwarmControl swarm,
                           EpochSchedule schedule, HeaderSyncOptions options, PreverifiedHashes? backfill)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _peers = peers ?? throw new ArgumentNullException(nameof(peers));
        Target = new HeaderSyncTarget(checkpoint);
        _dispatcher = new HeaderDispatcher(peers, options);
        List<IStage> stages =
        [
            new HeadersStage(store, Target, _dispatcher, options),
            new SwarmStage(StageId.State, SwarmMilestone.AccountsHeld, store, schedule, swarm),
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

    /// <summary>Follows <paramref name="driver"/> and syncs until cancelled.</summary>
    public Task RunAsync(IConsensusDriver driver, CancellationToken cancellation) =>
        new ChainSync(driver, Target, _pipeline, _peers).RunAsync(cancellation);

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
