using Mgr.Node.Dashboard;
using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;

namespace Mgr.Node.NodeRuntime;

/// <summary>Publishes the running node's <see cref="NodeStatusSnapshot"/> for the dashboard, the progress display and
/// the demo: every <see cref="Interval"/> it reads the engine on its loop, adds the pipeline's stage progress, and keeps
/// the result for <see cref="Snapshot"/>.</summary>
/// <remarks>Thread-safe: <see cref="Snapshot"/> returns the latest published object and never waits for the loop.</remarks>
public sealed class NodeStatusPublisher(SwarmNode node, ulong networkId, string? networkName, Func<IReadOnlyList<StageProgress>> stages)
    : INodeStatusSource
{
    /// <summary>How often a new snapshot is taken.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private volatile NodeStatusSnapshot? _latest;

    /// <summary>The boundary block number of an epoch, when the publisher knows the epoch length.</summary>
    public Func<EpochAnchor, ulong?> EpochBlockOf { get; init; } = static _ => null;

    public NodeStatusSnapshot Snapshot() => _latest ?? new NodeStatusSnapshot
    {
        TakenAt = DateTimeOffset.UtcNow, PeerId = node.Host.PeerId.ToString(), Role = node.Engine.Role, NetworkId = networkId, NetworkName = networkName,
    };

    /// <summary>Publishes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                _latest = await TakeAsync(cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
        }
        while (await NextAsync(timer, cancellation).ConfigureAwait(false));
    }

    /// <summary>Takes a snapshot now (on the engine's loop).</summary>
    public async Task<NodeStatusSnapshot> TakeAsync(CancellationToken cancellation)
    {
        IReadOnlyList<StageProgress> stageProgress = stages();
        return await node.ReadAsync(engine =>
        {
            SwarmCounters counters = engine.Counters;
            EpochAnchor? anchor = engine.Anchor;
            return new NodeStatusSnapshot
            {
                TakenAt = DateTimeOffset.UtcNow,
                PeerId = node.Host.PeerId.ToString(),
                Role = engine.Role,
                NetworkId = networkId,
                NetworkName = networkName,
                Epoch = anchor?.Number,
                EpochBlock = anchor is { } a ? EpochBlockOf(a) : null,
                StateRoot = anchor?.StateRoot,
                Coverage = anchor is null ? KeyRangeSet.Empty : engine.HeldAccounts,
                RideChunk = engine.RideChunk(),
                Synced = engine.IsSynced,
                Stages = WithState(stageProgress, engine),
                Peers = [.. engine.PeerViews().Select(peer => new PeerStatus(node.Transport.PeerIdOf(peer.Peer)?.ToString() ?? $"#{peer.Peer.Id}",
                    peer.Role, peer.Accounts, peer.BytesIn, peer.BytesOut, peer.Score))],
                BytesIn = counters.BytesIn,
                BytesOut = counters.BytesOut,
                ChunksVerified = counters.ChunksVerified + counters.ChunksRolledForward,
                ChunksDuplicate = counters.ChunksDuplicate,
                DuplicateBytes = counters.DuplicateBytes,
                ChunksRejected = counters.ChunksRejected,
                BytesByMessage = Enum.GetValues<MessageCode>()
                    .Where(code => counters.BytesInOf(code) + counters.BytesOutOf(code) > 0)
                    .ToDictionary(static code => code, code => (counters.BytesInOf(code), counters.BytesOutOf(code))),
            };
        }, cancellation).ConfigureAwait(false);
    }

    // Adds the state bar: account chunks of the current epoch held (read on the loop, with the rest of the engine).
    private static IReadOnlyList<StageProgress> WithState(IReadOnlyList<StageProgress> stages, SwarmEngine engine)
    {
        if (engine.Depth is not { } depth || engine.Anchor is null) return stages;
        double chunks = Math.Pow(16, depth);
        List<StageProgress> bars = [.. stages, new StageProgress("state", Math.Round(engine.HeldAccounts.Coverage * chunks), chunks, "chunks")];
        SwarmProgress progress = engine.Progress();
        if (progress.StorageAccounts > 0)
            bars.Add(new StageProgress("storage", progress.StorageAccounts - progress.StoragePending, progress.StorageAccounts, "accounts"));
        if (progress.CodesMissing > 0) bars.Add(new StageProgress("code", 0, progress.CodesMissing, "blobs"));
        return bars;
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
