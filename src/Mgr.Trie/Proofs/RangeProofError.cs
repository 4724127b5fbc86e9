namespace Mgr.Trie.Proofs;

/// <summary>Why a range proof was rejected (<see cref="None"/> when it was accepted).</summary>
public enum RangeProofError
{
    /// <summary>Accepted.</summary>
    None,
    /// <summary>Two keys are out of order.</summary>
    KeysNotIncreasing,
    /// <summary>A key appears twice.</summary>
    DuplicateKey,
    /// <summary>A value is empty (the trie never stores empty values).</summary>
    EmptyValue,
    /// <summary>The first key is below the requested origin.</summary>
    KeyBeforeOrigin,
    /// <summary>The proof has more nodes or bytes than <see cref="ProofNodeSet"/> allows.</summary>
    ProofTooLarge,
    /// <summary>A node needed to walk the origin's or the last key's path is not in the proof.</summary>
    MissingProofNode,
    /// <summary>A proof node needed for the walk is not a valid trie node.</summary>
    MalformedProofNode,
    /// <summary>The leaves and the proven edges do not hash to the root: a leaf is missing, extra or
    /// modified, or the proof is for another trie.</summary>
    RootMismatch,
}
