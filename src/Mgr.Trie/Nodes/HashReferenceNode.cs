using Mgr.Trie.Primitives;

namespace Mgr.Trie.Nodes;

/// <summary>A child known only by its hash: the node itself lives in the node store (or in a proof) and is
/// loaded when a walk reaches it.</summary>
public sealed class HashReferenceNode : TrieNode
{
    private readonly Hash256 _hash;

    public HashReferenceNode(Hash256 hash)
    {
        _hash = hash;
        IsPersisted = true;
    }

    /// <summary>The referenced node's hash.</summary>
    public override Hash256 Hash => _hash;

    /// <summary>Always false: a hash reference is always embedded as its hash.</summary>
    public override bool IsInline => false;
}
