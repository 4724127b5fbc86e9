namespace Mgr.Trie.Nodes;

/// <summary>A branch: sixteen child slots indexed by the next nibble, plus an optional value for a key that
/// ends exactly here (only possible in tries whose keys differ in length).</summary>
public sealed class BranchNode : TrieNode
{
    private readonly TrieNode?[] _children;

    /// <summary>A branch over <paramref name="children"/> (16 slots, null = empty), which it takes ownership of.</summary>
    public BranchNode(TrieNode?[] children, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(children);
        if (children.Length != 16) throw new ArgumentException("A branch has 16 child slots.", nameof(children));
        _children = children;
        Value = value is { Length: > 0 } ? value : null;
    }

    /// <summary>The sixteen child slots (null = empty).</summary>
    public ReadOnlySpan<TrieNode?> Children => _children;

    /// <summary>The value stored at this branch, or null.</summary>
    public byte[]? Value { get; }

    /// <summary>Number of non-empty child slots.</summary>
    public int ChildCount
    {
        get
        {
            int count = 0;
            foreach (TrieNode? child in _children) count += child is null ? 0 : 1;
            return count;
        }
    }

    /// <summary>A copy of the slots, for building a changed branch.</summary>
    internal TrieNode?[] CopyChildren() => (TrieNode?[])_children.Clone();
}
