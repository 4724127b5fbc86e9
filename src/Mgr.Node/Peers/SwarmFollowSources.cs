using Mgr.Node.Follow;
using Mgr.Node.Headers;
using Mgr.Node.NodeRuntime;
using Mgr.Node.Swarm;
using Mgr.Protocol.Messages;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Peers;

/// <summary>Follow mode's fetches (<see cref="FollowSources"/>) over the swarm: a block's state diff is asked of one
/// connected peer after another (seeders first) with GetStateDiff through the engine; a header by hash with
/// GetBlockHeaders through the header peers. An answer naming another block is <see cref="ViolationReason.InvalidStateDiff"/>
/// at once; a diff the follower then refuses (wrong root, malformed) costs its sender the same.</summary>
/// <remarks>Thread-safe: calls run on the follower's task and reach the engine only through its loop.</remarks>
public sealed class SwarmFollowSources(SwarmNode swarm)
{
    private readonly Dictionary<Hash256, PeerHandle> _lastAnswer = [];
    private readonly Lock _gate = new();

    /// <summary>The sources to hand to a <see cref="ChainFollower"/>.</summary>
    public FollowSources Sources => new(FetchHeaderAsync, FetchDiffAsync, OnRejected);

    private async ValueTask<ReadOnlyMemory<byte>?> FetchDiffAsync(BlockHeader header, CancellationToken cancellation)
    {
        var block = new BlockRef(header.Hash, header.Number);
        IReadOnlyList<PeerView> peers = await swarm.ReadAsync(static engine => engine.PeerViews(), cancellation).ConfigureAwait(false);
        foreach (PeerView peer in peers.OrderBy(static peer => peer.Role == Role.Seeder ? 0 : 1))
        {
            var answer = new TaskCompletionSource<StateDiff?>(TaskCreationOptions.RunContinuationsAsynchronously);
            swarm.Post(engine =>
            {
                if (!engine.RequestStateDiff(peer.Peer, block, diff => answer.TrySetResult(diff))) answer.TrySetResult(null);
            });
            StateDiff? diff = await answer.Task.WaitAsync(cancellation).ConfigureAwait(false);
            if (diff is null) continue;
            if (diff.Block != block)
            {
                swarm.Post(engine => engine.OnViolation(peer.Peer, ViolationReason.InvalidStateDiff));
                continue;
            }
            lock (_gate)
            {
                _lastAnswer[header.Hash] = peer.Peer;
                if (_lastAnswer.Count > 4096) _lastAnswer.Clear(); // bookkeeping for penalties only: never grows without bound
            }
            return diff.Diff;
        }
        return null;
    }

    private async ValueTask<BlockHeader?> FetchHeaderAsync(Hash256 hash, CancellationToken cancellation)
    {
        foreach (IHeaderPeer peer in swarm.HeaderPeers)
        {
            try
            {
                IReadOnlyList<ReadOnlyMemory<byte>> answer = await peer.GetBlockHeadersAsync(new HeaderQuery(0, 1, 0, false, hash), cancellation).ConfigureAwait(false);
                if (answer.Count == 1 && BlockHeader.Decode(answer[0].Span) is { } header && header.Hash == hash) return header;
            }
            catch (Exception e) when (e is IOException or HeaderDecodeException)
            {
                // try the next peer
            }
        }
        return null;
    }

    private void OnRejected(DiffRejection rejection)
    {
        PeerHandle sender;
        lock (_gate)
        {
            if (!_lastAnswer.Remove(rejection.Hash, out sender)) return;
        }
        swarm.Post(engine => engine.OnViolation(sender, ViolationReason.InvalidStateDiff));
    }
}
