using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Tries;

/// <summary>Finds the node at a nibble path below a root in a hash-keyed node store: the node reached after consuming
/// exactly that path (snap/1 GetTrieNodes semantics). A path that ends inside an extension's or a leaf's key, runs
/// into an empty branch slot, or needs a node the store lacks has no node.</summary>
public static class TrieNodeLocator
{
    /// <summary>The RLP of the node at <paramref name="path"/> (nibbles, at most 64) under <paramref name="root"/>;
    /// false when there is none. A node inlined in its parent is returned as its own encoding.</summary>
    /// <exception cref="TrieException">With <see cref="TrieError.MalformedNode"/> when a stored node does not decode.</exception>
    public static bool TryGetNode(INodeStore store, Hash256 root, ReadOnlySpan<byte> path, out ReadOnlyMemory<byte> rlp)
    {
        ArgumentNullException.ThrowIfNull(store);
        rlp = default;
        if (path.Length > 64 || Resolve(store, root) is not { } node) return false;
        int position = 0;
        while (position < path.Length)
        {
            TrieNode? next;
            switch (node)
            {
                case BranchNode branch:
                    next = branch.Children[path[position]];
                    position++;
                    break;
                case ExtensionNode extension when path[position..].StartsWith(extension.Path.Span):
                    next = extension.Child;
                    position += extension.Path.Length;
                    break;
                default:
                    return false;
            }
            if (next is HashReferenceNode reference) next = Resolve(store, reference.Hash);
            if (next is null) return false;
            node = next;
        }
        rlp = node.Rlp;
        return true;
    }

    private static TrieNode? Resolve(INodeStore store, Hash256 hash) =>
        store.TryGet(hash, out ReadOnlyMemory<byte> rlp) ? NodeCodec.Decode(rlp.Span, hash) : null;
}
