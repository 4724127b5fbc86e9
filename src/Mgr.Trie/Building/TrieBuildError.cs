namespace Mgr.Trie.Building;

/// <summary>Why the stack builder refused a leaf.</summary>
public enum TrieBuildError
{
    /// <summary>A key is not greater than the one before it.</summary>
    KeyNotIncreasing,
    /// <summary>A key equals the one before it.</summary>
    DuplicateKey,
    /// <summary>A value is empty (an empty value means "absent" in the trie).</summary>
    EmptyValue,
}
