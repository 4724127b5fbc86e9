namespace Mgr.Trie.Proofs;

/// <summary>The verdict on a single-key proof: accepted or why not, and the proven value (null when the
/// proof shows the key is absent).</summary>
public readonly record struct MerkleProofResult(MerkleProofError Error, byte[]? Value)
{
    /// <summary>True when the proof was accepted (as an inclusion or an exclusion proof).</summary>
    public bool IsValid => Error == MerkleProofError.None;

    /// <summary>True when the proof was accepted and shows the key present.</summary>
    public bool Exists => IsValid && Value is not null;
}
