namespace Mgr.Trie.Proofs;

/// <summary>The verdict on a range proof: accepted or the reason for rejection, and whether the trie holds
/// more leaves to the right of the last one returned.</summary>
public readonly record struct RangeProofResult(RangeProofError Error, bool HasMore)
{
    /// <summary>True when the proof was accepted.</summary>
    public bool IsValid => Error == RangeProofError.None;

    /// <summary>An accepted proof.</summary>
    public static RangeProofResult Valid(bool hasMore) => new(RangeProofError.None, hasMore);

    /// <summary>A rejected proof.</summary>
    public static RangeProofResult Invalid(RangeProofError error) => new(error, false);
}
