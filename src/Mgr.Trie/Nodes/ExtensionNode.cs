using Mgr.Trie.Nibbles;

namespace Mgr.Trie.Nodes;

/// <summary>An extension: a non-empty shared path (hex-prefix encoded without the leaf flag) leading to a
/// single child, which in a canonical trie is a branch.</summary>
public sealed class ExtensionNode : TrieNode
{
    public ExtensionNode(NibblePath path, TrieNode child)
    {
        ArgumentNullException.ThrowIfNull(child);
        Path = path;
        Child = child;
    }

    /// <summary>The shared nibbles.</summary>
    public NibblePath Path { get; }

    /// <summary>The child below the shared path.</summary>
    public TrieNode Child { get; }
}
