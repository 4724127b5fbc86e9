using Mgr.Protocol.Messages;
using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A request the engine sent and awaits: to whom, what for, when (for the timeout). A request made on behalf of
/// another part of the node (headers, state diffs) carries the callback that receives its answer (<see cref="Answer"/>).</summary>
internal sealed record PendingRequest(PeerHandle Peer, PendingKind Kind, ChunkId? Chunk, IReadOnlyList<Hash256> Codes, TimeSpan SentAt)
{
    /// <summary>For <see cref="PendingKind.BlockHeaders"/> and <see cref="PendingKind.StateDiff"/>: called once, on the
    /// loop, with the response, or null when the peer answered Unavailable, timed out or left.</summary>
    public Action<IResponse?>? Answer { get; init; }
}

/// <summary>Kinds of outstanding request.</summary>
internal enum PendingKind
{
    StateData,
    ChunkDiff,
    ByteCodes,
    BlockHeaders,
    StateDiff,
}
