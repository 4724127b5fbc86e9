namespace Mgr.Trie.Proofs;

/// <summary>Why a subtree (chunk) proof was rejected (<see cref="None"/> when it was accepted).</summary>
public enum SubtreeProofError
{
    /// <summary>Accepted.</summary>
    None,
    /// <summary>The prefix is longer than a 32-byte key (64 nibbles).</summary>
    PrefixTooLong,
    /// <summary>Two keys are out of order.</summary>
    KeysNotIncreasing,
    /// <summary>A key appears twice.</summary>
    DuplicateKey,
    /// <summary>A value is empty.</summary>
    EmptyValue,
    /// <summary>A key does not start with the prefix.</summary>
    KeyOutsidePrefix,
    /// <summary>The proof has more nodes or bytes than <see cref="ProofNodeSet"/> allows.</summary>
    ProofTooLarge,
    /// <summary>A node on the path from the root to the prefix is not in the proof.</summary>
    MissingProofNode,
    /// <summary>A node on the path is not a valid trie node.</summary>
    MalformedProofNode,
    /// <summary>The leaves do not rebuild the node found at the prefix (a leaf is missing, extra or
    /// modified), or leaves were sent for a prefix under which the trie is empty.</summary>
    SubtreeMismatch,
}
