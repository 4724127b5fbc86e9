using Mgr.Protocol.Chunking;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>A request the engine sent and awaits: to whom, what for, when (for the timeout).</summary>
internal sealed record PendingRequest(PeerHandle Peer, PendingKind Kind, ChunkId? Chunk, IReadOnlyList<Hash256> Codes, TimeSpan SentAt);

/// <summary>Kinds of outstanding request.</summary>
internal enum PendingKind
{
    StateData,
    ChunkDiff,
    ByteCodes,
}
