using System.Threading.Channels;
using Mgr.Node.Headers;
using Mgr.Node.Stages;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Chain;

/// <summary>Drives the staged pipeline from the consensus driver: each finalized block moves the header-sync
/// target up and (re)runs the pipeline to it, so newly finalized blocks are appended while sync goes on.</summary>
/// <remarks>
/// Two loops: one reads <see cref="IConsensusDriver"/> events and advances <see cref="HeaderSyncTarget"/> (a
/// finalized block whose header did not come with it is fetched by hash from a peer and checked against the
/// hash, and asked for again at each later forkchoice update naming it while no peer has given it); the other runs the
/// pipeline whenever the target is above what was last reached. The pipeline reads
/// the target between steps, so a run in progress also picks up a higher finalized block. A
/// <see cref="HeaderSyncException"/> (e.g. a wrong checkpoint) ends <see cref="RunAsync"/> with that error.
/// </remarks>
public sealed class ChainSync(IConsensusDriver driver, HeaderSyncTarget target, StagedPipeline pipeline, IReadOnlyList<IHeaderPeer> peers)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Highest block the pipeline has completed in this process (null before the first run ends).</summary>
    public ulong? Reached { get; private set; }

    /// <summary>Follows the driver and syncs until <paramref name="cancellation"/> fires or the driver ends (then
    /// finishes the sync to the last finalized block).</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task follow = FollowAsync(stop.Token);
        try
        {
            await foreach (bool _ in _wake.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                while (target.Finalized is { } top && (Reached is not ulong reached || reached < top.Number))
                {
                    ulong goal = top.Number;
                    await pipeline.RunAsync(() => goal = Math.Max(goal, target.Finalized?.Number ?? 0), stop.Token).ConfigureAwait(false);
                    Reached = goal;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await follow.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the follower stops with the sync loop
            }
        }
    }

    private async Task FollowAsync(CancellationToken cancellation)
    {
        try
        {
            Hash256? unresolved = null;
            await foreach (ConsensusEvent e in driver.ReadEventsAsync(cancellation).ConfigureAwait(false))
            {
                (Hash256 hash, BlockHeader? header) = e switch
                {
                    FinalizedBlockReceived finalized => (finalized.Hash, finalized.Header),
                    // The driver repeats its forkchoice every slot, naming the same finalized block until finality moves: a
                    // finalized header no peer could give when it was announced (a node that just started has no sessions
                    // yet) is asked for again then, or the node would wait for the next finalized block.
                    HeadUpdated update when update.Finalized == unresolved => (update.Finalized, null),
                    _ => (Hash256.Zero, null),
                };
                if (hash.IsZero) continue;
                header ??= await FetchAsync(hash, cancellation).ConfigureAwait(false);
                unresolved = header is null ? hash : null;
                if (header is not null && target.Advance(header)) _wake.Writer.TryWrite(true);
            }
        }
        finally
        {
            _wake.Writer.TryComplete();
        }
    }

    // Asks each peer in turn for the header with this hash; only a header that hashes to it is taken.
    private async Task<BlockHeader?> FetchAsync(Hash256 hash, CancellationToken cancellation)
    {
        foreach (IHeaderPeer peer in peers)
        {
            try
            {
                IReadOnlyList<ReadOnlyMemory<byte>> answer = await peer.GetBlockHeadersAsync(new HeaderQuery(0, 1, 0, false, hash), cancellation).ConfigureAwait(false);
                if (answer.Count == 1 && BlockHeader.Decode(answer[0].Span) is { } header && header.Hash == hash) return header;
            }
            catch (Exception e) when (e is HeaderDecodeException or IOException or TimeoutException or InvalidOperationException)
            {
                // try the next peer
            }
        }
        return null;
    }
}
