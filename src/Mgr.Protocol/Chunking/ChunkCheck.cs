using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Protocol.Chunking;

/// <summary>Outcome of verifying a StateData or rolling a chunk forward with a ChunkDiff: the fault (a peer-data
/// outcome, not an error), the trie's proof verdict, and, when valid, the chunk's trie leaves (account values for
/// an account chunk, slot values for a storage chunk).</summary>
public sealed record ChunkCheck(ChunkFault Fault, SubtreeProofError ProofError, IReadOnlyList<TrieLeaf> Leaves)
{
    /// <summary>True when the data verified.</summary>
    public bool IsValid => Fault == ChunkFault.None;

    internal static ChunkCheck Rejected(ChunkFault fault, SubtreeProofError proofError = SubtreeProofError.None) => new(fault, proofError, []);
}
