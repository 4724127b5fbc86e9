using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Proofs;

/// <summary>Gathers the stored nodes on a key's path, root first: what a proof of that key (present or
/// absent) consists of. Nodes shorter than 32 bytes travel inside their parents and are not listed.</summary>
internal sealed class ProofCollector(INodeStore store, Hash256 root)
{
    private readonly HashSet<Hash256> _seen = [];

    /// <summary>The nodes gathered so far, without duplicates, in the order first reached.</summary>
    public List<byte[]> Nodes { get; } = [];

    /// <summary>Adds the nodes on the path of <paramref name="nibbles"/> (down to where the path ends or
    /// leaves the trie); with <paramref name="aboveOnly"/>, not a node that starts exactly where the path
    /// ends. Throws <see cref="TrieException"/> when the store lacks one.</summary>
    public void AddPath(ReadOnlySpan<byte> nibbles, bool aboveOnly = false)
    {
        if (root == Hash256.EmptyTrieRoot) return;
        TrieNode? slot = new HashReferenceNode(root);
        int depth = 0;
        while (slot is not null)
        {
            if (aboveOnly && depth == nibbles.Length) return;
            TrieNode node = Load(slot);
            switch (node)
            {
                case BranchNode branch:
                    if (depth == nibbles.Length) return;
                    slot = branch.Children[nibbles[depth++]];
                    break;
                case ExtensionNode extension:
                    if (!nibbles[depth..].StartsWith(extension.Path.Span)) return;
                    depth += extension.Path.Length;
                    slot = extension.Child;
                    break;
                default:
                    return;
            }
        }
    }

    private TrieNode Load(TrieNode slot)
    {
        if (slot is not HashReferenceNode reference) return slot;
        if (!store.TryGet(reference.Hash, out ReadOnlyMemory<byte> rlp)) throw TrieException.Missing(reference.Hash);
        if (_seen.Add(reference.Hash)) Nodes.Add(rlp.ToArray());
        return NodeCodec.Decode(rlp.Span, reference.Hash);
    }
}
