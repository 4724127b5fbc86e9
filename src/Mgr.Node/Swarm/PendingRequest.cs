using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A request the engine sent and awaits: to whom, what for, when (for the timeout). A header request carries
/// the callback that receives its answer (<see cref="HeadersAnswer"/>).</summary>
internal sealed record PendingRequest(PeerHandle Peer, PendingKind Kind, ChunkId? Chunk, IReadOnlyList<Hash256> Codes, TimeSpan SentAt)
{
    /// <summary>For <see cref="PendingKind.BlockHeaders"/>: called once, on the loop, with the header RLPs or null.</summary>
    public Action<IReadOnlyList<ReadOnlyMemory<byte>>?>? HeadersAnswer { get; init; }
}

/// <summary>Kinds of outstanding request.</summary>
internal enum PendingKind
{
    StateData,
    ChunkDiff,
    ByteCodes,
    BlockHeaders,
}
