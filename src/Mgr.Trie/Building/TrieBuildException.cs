namespace Mgr.Trie.Building;

/// <summary>Thrown by <see cref="StackTrieBuilder"/> for a leaf it cannot take; <see cref="Reason"/> says why
/// and <see cref="LeafIndex"/> which leaf (0-based) it was.</summary>
public sealed class TrieBuildException : Exception
{
    public TrieBuildException(TrieBuildError reason, long leafIndex)
        : base($"Leaf {leafIndex} rejected: {reason}.")
    {
        Reason = reason;
        LeafIndex = leafIndex;
    }

    public TrieBuildException() : this(TrieBuildError.KeyNotIncreasing, 0) { }

    public TrieBuildException(string message) : base(message) { }

    public TrieBuildException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Why the leaf was rejected.</summary>
    public TrieBuildError Reason { get; }

    /// <summary>Position of the rejected leaf in the stream.</summary>
    public long LeafIndex { get; }
}
