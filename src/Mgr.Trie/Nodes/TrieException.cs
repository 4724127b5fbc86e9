using Mgr.Trie.Primitives;

namespace Mgr.Trie.Nodes;

/// <summary>Thrown when a trie cannot be read: a node is missing from the store or is malformed. Carries
/// the typed <see cref="Reason"/> and, when known, the hash of the node involved.</summary>
/// <remarks>Peer-supplied proofs never throw this to callers; their verifiers turn it into a verdict.</remarks>
public sealed class TrieException : Exception
{
    public TrieException(TrieError reason, Hash256? nodeHash, string message) : base(message)
    {
        Reason = reason;
        NodeHash = nodeHash;
    }

    public TrieException() : this(TrieError.MalformedNode, null, "Malformed trie node.") { }

    public TrieException(string message) : this(TrieError.MalformedNode, null, message) { }

    public TrieException(string message, Exception innerException) : base(message, innerException) => Reason = TrieError.MalformedNode;

    /// <summary>What went wrong.</summary>
    public TrieError Reason { get; }

    /// <summary>The hash of the node involved, when there is one.</summary>
    public Hash256? NodeHash { get; }

    internal static TrieException Missing(Hash256 hash) => new(TrieError.MissingNode, hash, $"Trie node {hash} is not in the store.");

    internal static TrieException Malformed(string what, Exception? inner = null) =>
        inner is null ? new(TrieError.MalformedNode, null, $"Malformed trie node: {what}.") : new($"Malformed trie node: {what}.", inner);
}
