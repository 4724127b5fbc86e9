namespace Mgr.Trie.Proofs;

/// <summary>Why a single-key Merkle proof was rejected (<see cref="None"/> when it was accepted).</summary>
public enum MerkleProofError
{
    /// <summary>Accepted.</summary>
    None,
    /// <summary>The proof has more nodes or bytes than <see cref="ProofNodeSet"/> allows.</summary>
    ProofTooLarge,
    /// <summary>A node on the key's path is not in the proof.</summary>
    MissingProofNode,
    /// <summary>A node on the key's path is not a valid trie node.</summary>
    MalformedProofNode,
}
