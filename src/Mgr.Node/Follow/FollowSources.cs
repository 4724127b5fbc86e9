using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>Where follow mode gets what it lacks, injected so the core needs no transport (the swarm engine in the
/// node, in-memory fakes in tests).</summary>
/// <param name="FetchHeader">The header with this hash, from a peer; null when nobody has it. The follower checks the
/// hash itself.</param>
/// <param name="FetchDiff">The encoded state diff of this block (the <c>diff</c> of a StateDiff message), from a peer;
/// null when nobody has it. Called again for the same block after <paramref name="OnRejected"/>: ask another peer.</param>
/// <param name="OnRejected">The last answer for a block was refused: penalise its sender (InvalidStateDiff).</param>
public sealed record FollowSources(
    Func<Hash256, CancellationToken, ValueTask<BlockHeader?>> FetchHeader,
    Func<BlockHeader, CancellationToken, ValueTask<ReadOnlyMemory<byte>?>> FetchDiff,
    Action<DiffRejection>? OnRejected = null);
