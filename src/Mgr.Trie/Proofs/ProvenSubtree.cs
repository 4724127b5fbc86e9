using Mgr.Trie.Nibbles;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Proofs;

/// <summary>An MGR chunk with its proof: every leaf whose key starts with <see cref="Prefix"/>, in key order,
/// and the stored nodes on the path from the root down to the prefix (not the subtree's own top node,
/// which the leaves rebuild).</summary>
public sealed record ProvenSubtree(NibblePath Prefix, IReadOnlyList<TrieLeaf> Leaves, IReadOnlyList<byte[]> Proof);
