using Mgr.Protocol.Messages;
using Mgr.Trie.Tries;

namespace Mgr.Protocol.Chunking;

/// <summary>Rolls a held chunk from an older root to a newer one with a <see cref="ChunkDiff"/>
/// (spec/mgr-protocol.md §4.7): applies the changes to the held leaves, checks the inline storage of changed
/// accounts, and accepts only if the result rebuilds the subtree the proof shows at the chunk's prefix under the
/// new root. Because that subtree hash commits to every leaf under the prefix, acceptance also proves that the
/// diff left nothing out.</summary>
/// <remarks>Pure functions; bad peer data yields a rejected <see cref="ChunkCheck"/>, never an exception.</remarks>
public static class ChunkRollForward
{
    /// <summary>Merges ascending <paramref name="changes"/> (an empty value deletes) into ascending <paramref name="held"/> leaves.</summary>
    public static TrieLeaf[] Apply(IReadOnlyList<TrieLeaf> held, IReadOnlyList<TrieLeaf> changes)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(changes);
        var result = new List<TrieLeaf>(held.Count + changes.Count);
        int i = 0, j = 0;
        while (i < held.Count || j < changes.Count)
        {
            int order = i == held.Count ? 1 : j == changes.Count ? -1 : held[i].Key.CompareTo(changes[j].Key);
            if (order < 0)
            {
                result.Add(held[i++]);
                continue;
            }
            if (order == 0) i++;
            TrieLeaf change = changes[j++];
            if (!change.Value.IsEmpty) result.Add(change);
        }
        return [.. result];
    }

    /// <summary>Verifies <paramref name="diff"/> against <paramref name="held"/> — the chunk's leaves at
    /// <see cref="ChunkDiff.FromRoot"/>, ascending (account values for an account chunk, slot values for a storage
    /// chunk) — and returns the leaves at its to-root.</summary>
    public static ChunkCheck Verify(ChunkDiff diff, IReadOnlyList<TrieLeaf> held)
    {
        ArgumentNullException.ThrowIfNull(diff);
        TrieLeaf[] changes = diff.Chunk.IsStorage
            ? [.. diff.Slots.Select(static slot => new TrieLeaf(slot.SlotHash, slot.Value))]
            : [.. diff.Accounts.Select(static entry => new TrieLeaf(entry.AccountHash, entry.Value))];
        return ChunkVerifier.Check(diff.Chunk, diff.ToRoot, diff.Accounts, diff.Proof, held, changes);
    }
}
