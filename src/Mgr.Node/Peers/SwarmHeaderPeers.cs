using System.Collections;
using Mgr.Node.Headers;
using Mgr.Node.Swarm;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Peers;

/// <summary>The swarm's connected peers as the header download sees them (<see cref="IHeaderPeer"/>): a list that
/// follows the engine's sessions, whose members ask for headers through the engine (GetBlockHeaders over the peer's
/// <c>/mgr/1</c> session) and hear the answer on the engine's loop.</summary>
/// <remarks>Thread-safe: <see cref="Refresh"/> (called on the loop) swaps an immutable array that readers on any
/// thread enumerate; a peer that left stays in a reader's copy and simply fails its next request.</remarks>
public sealed class SwarmHeaderPeers(SwarmLoop loop, Func<SwarmEngine> engine, Func<PeerHandle, PeerId?> identify) : IReadOnlyList<IHeaderPeer>
{
    private volatile IHeaderPeer[] _peers = [];

    /// <summary>Replaces the list with the engine's active peers (call on the loop).</summary>
    public void Refresh(IReadOnlyList<(PeerHandle Peer, ulong ClaimedHead)> active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var peers = new List<IHeaderPeer>(active.Count);
        foreach ((PeerHandle handle, ulong head) in active)
            if (identify(handle) is { } id) peers.Add(new Peer(this, handle, id, head));
        _peers = [.. peers];
    }

    public IHeaderPeer this[int index] => _peers[index];

    public int Count => _peers.Length;

    public IEnumerator<IHeaderPeer> GetEnumerator() => ((IEnumerable<IHeaderPeer>)_peers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Task<IReadOnlyList<ReadOnlyMemory<byte>>> AskAsync(PeerHandle handle, HeaderQuery query, CancellationToken cancellation)
    {
        var answer = new TaskCompletionSource<IReadOnlyList<ReadOnlyMemory<byte>>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new GetBlockHeaders(0, query.OriginHash, query.OriginNumber, (ulong)query.Amount, (ulong)query.Skip, query.Reverse);
        loop.Post(() =>
        {
            bool sent = engine().RequestHeaders(handle, request, headers =>
            {
                if (headers is null) answer.TrySetException(new IOException("the peer did not answer the header request"));
                else answer.TrySetResult(headers);
            });
            if (!sent) answer.TrySetException(new IOException("the peer has no open session"));
        });
        return cancellation.CanBeCanceled ? answer.Task.WaitAsync(cancellation) : answer.Task;
    }

    private sealed class Peer(SwarmHeaderPeers owner, PeerHandle handle, PeerId id, ulong claimedHead) : IHeaderPeer
    {
        public PeerId Id => id;

        public ulong ClaimedHead => claimedHead;

        public Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetBlockHeadersAsync(HeaderQuery query, CancellationToken cancellation) =>
            owner.AskAsync(handle, query, cancellation);
    }
}
