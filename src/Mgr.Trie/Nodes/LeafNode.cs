using Mgr.Trie.Nibbles;

namespace Mgr.Trie.Nodes;

/// <summary>A leaf: the rest of the key's path (hex-prefix encoded with the leaf flag) and a non-empty value.</summary>
public sealed class LeafNode : TrieNode
{
    /// <summary>A leaf; <paramref name="value"/> is kept, not copied, and must not change afterwards.</summary>
    public LeafNode(NibblePath path, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Path = path;
        Value = value;
    }

    /// <summary>The remaining key nibbles below the parent.</summary>
    public NibblePath Path { get; }

    /// <summary>The value (never empty in a valid trie).</summary>
    public byte[] Value { get; }
}
