using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Protocol.Chunking;

/// <summary>Verifies a <see cref="StateData"/> against the state root of its epoch with nothing else
/// (spec/mgr-protocol.md §4.6): the leaves must rebuild the subtree proven at the chunk's prefix
/// (<see cref="SubtreeProof"/>), inline storage must rebuild each account's storage root, and a storage chunk's
/// proof must first prove its account's leaf, whose storage root anchors the chunk.</summary>
/// <remarks>Pure functions; bad peer data yields a rejected <see cref="ChunkCheck"/>, never an exception.</remarks>
public static class ChunkVerifier
{
    /// <summary>Checks <paramref name="data"/> against <paramref name="expectedStateRoot"/>, the state root of the
    /// header whose hash is <see cref="StateData.EpochHash"/>.</summary>
    public static ChunkCheck Verify(StateData data, Hash256 expectedStateRoot)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.StateRoot != expectedStateRoot) return ChunkCheck.Rejected(ChunkFault.WrongRoot);
        TrieLeaf[] leaves = data.Chunk.IsStorage
            ? [.. data.Slots.Select(static slot => new TrieLeaf(slot.SlotHash, slot.Value))]
            : [.. data.Accounts.Select(static entry => new TrieLeaf(entry.AccountHash, entry.Value))];
        return Check(data.Chunk, data.StateRoot, data.Accounts, data.Proof, held: null, leaves);
    }

    // Shared by StateData and ChunkDiff: anchors the chunk, checks inline storage of `accounts`, applies `changes`
    // to `held` when rolling forward, and compares the result with the proven subtree.
    internal static ChunkCheck Check(ChunkId chunk, Hash256 stateRoot, IReadOnlyList<AccountEntry> accounts,
                                     IReadOnlyList<ReadOnlyMemory<byte>> proofNodes, IReadOnlyList<TrieLeaf>? held, TrieLeaf[] changes)
    {
        byte[][] proof = [.. proofNodes.Select(static node => node.ToArray())];
        Hash256 subtreeRoot = stateRoot;
        if (chunk.Account is { } account && !TryProveStorageRoot(stateRoot, account, proof, out subtreeRoot))
            return ChunkCheck.Rejected(ChunkFault.AccountNotProven);
        if (!InlineStorageMatches(accounts)) return ChunkCheck.Rejected(ChunkFault.InlineStorageMismatch);
        TrieLeaf[] leaves = held is null ? changes : ChunkRollForward.Apply(held, changes);
        SubtreeProofError error = SubtreeProof.Verify(subtreeRoot, chunk.Prefix, leaves, proof);
        return error == SubtreeProofError.None ? new ChunkCheck(ChunkFault.None, error, leaves) : ChunkCheck.Rejected(ChunkFault.SubtreeMismatch, error);
    }

    // Every account that carries inline storage must carry all of it: its slots rebuild its storage root.
    private static bool InlineStorageMatches(IReadOnlyList<AccountEntry> accounts)
    {
        foreach (AccountEntry entry in accounts)
        {
            if (entry.Storage.IsEmpty) continue;
            Hash256 storageRoot = AccountValue.Read(entry.Value.Span).StorageRoot;
            SlotEntry[] slots = entry.Storage.ToArray();
            if (TrieRoots.Compute(slots.Select(static slot => new TrieLeaf(slot.SlotHash, slot.Value))) != storageRoot) return false;
        }
        return true;
    }

    // A storage chunk's proof starts with the account's path under the state root; its leaf names the storage root.
    private static bool TryProveStorageRoot(Hash256 stateRoot, Hash256 account, byte[][] proof, out Hash256 storageRoot)
    {
        storageRoot = default;
        MerkleProofResult result = MerkleProof.Verify(stateRoot, account.ToArray(), proof);
        if (!result.IsValid || !result.Exists || result.Value is null) return false;
        try
        {
            storageRoot = AccountValue.Read(result.Value).StorageRoot;
            return true;
        }
        catch (ProtocolViolationException)
        {
            return false;
        }
    }
}
