using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Nodes;

/// <summary>A decoded node of the hexary Merkle-Patricia trie: <see cref="LeafNode"/>,
/// <see cref="ExtensionNode"/>, <see cref="BranchNode"/>, or a <see cref="HashReferenceNode"/> standing
/// for a child that has not been loaded.</summary>
/// <remarks>Nodes are immutable; a changed trie builds new nodes along the changed path. The RLP and hash
/// are computed once and cached, so a node may be shared by several tries. Not thread-safe while the
/// cache is being filled.</remarks>
public abstract class TrieNode
{
    private byte[]? _rlp;
    private Hash256 _hash;
    private bool _hasHash;

    private protected TrieNode() { }

    /// <summary>The node's RLP encoding (for a <see cref="HashReferenceNode"/>, not available).</summary>
    public byte[] Rlp => _rlp ??= NodeCodec.Encode(this);

    /// <summary>Keccak-256 of <see cref="Rlp"/>.</summary>
    public virtual Hash256 Hash
    {
        get
        {
            if (!_hasHash)
            {
                _hash = Keccak256.Compute(Rlp);
                _hasHash = true;
            }
            return _hash;
        }
    }

    /// <summary>True when the parent embeds this node's RLP rather than its hash (RLP shorter than 32 bytes).</summary>
    public virtual bool IsInline => Rlp.Length < 32;

    /// <summary>True once the node is known to be in the node store (loaded from it or committed to it).</summary>
    internal bool IsPersisted { get; set; }

    internal void SetDecoded(byte[] rlp, Hash256? hash)
    {
        _rlp = rlp;
        if (hash is { } known)
        {
            _hash = known;
            _hasHash = true;
        }
    }
}
