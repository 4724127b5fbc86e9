using Mgr.Trie.Tries;

namespace Mgr.Trie.Proofs;

/// <summary>A served range: consecutive leaves from the requested origin and the proof nodes for the
/// origin's path and the last leaf's path; <see cref="Proof"/> is null when the leaves are the whole trie
/// and the server chose to omit the proof.</summary>
public sealed record RangeProof(IReadOnlyList<TrieLeaf> Leaves, IReadOnlyList<byte[]>? Proof);
