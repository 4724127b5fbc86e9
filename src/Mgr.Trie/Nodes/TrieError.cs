namespace Mgr.Trie.Nodes;

/// <summary>Why reading a trie failed.</summary>
public enum TrieError
{
    /// <summary>A node referenced by hash is not in the store.</summary>
    MissingNode,
    /// <summary>A node's bytes are not a valid trie node (bad RLP, wrong item count, bad hex-prefix,
    /// an oversized inline child, an empty leaf value …).</summary>
    MalformedNode,
    /// <summary>The trie's shape does not fit the operation (e.g. a value at a depth other than 64
    /// nibbles where 32-byte keys are expected).</summary>
    UnexpectedShape,
}
