using Mgr.Node.Devnet;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;

namespace Mgr.Node.Follow;

/// <summary>Rolls the persistent state back to an earlier canonical block with the backward diffs
/// <see cref="StateHistory"/> kept (<c>mgr rollback</c>, spec/follow.md §5). Each block is undone in its own atomic
/// batch that also deletes its backward diff and moves the state-block marker, so a crash at any moment leaves a
/// consistent state at some block in between, and running the rollback again continues from there.</summary>
/// <remarks>
/// <para>Before changing anything it checks the target (at or below the held state, within
/// <see cref="StateHistory.BackwardWindowBlocks"/>), that every block on the way has its backward diff and header, and
/// that the way ends at the stored canonical header of the target. Every step is verified: the backward diff must give
/// its parent header's state root (<see cref="StateApplier.Write"/>), so the end state's root is the target header's.</para>
/// <para>Headers, canonical entries and forward diffs stay (they are chain data, not state); code stays too
/// (content-addressed). Offline: the caller owns the store.</para>
/// </remarks>
public static class StateRollback
{
    /// <summary>Rolls the state in <paramref name="store"/> back to block <paramref name="target"/>.
    /// <paramref name="afterStep"/> is told each block reached (after its batch committed).</summary>
    /// <exception cref="RollbackException">For a refused target (<see cref="RollbackException.IsBadInput"/>) or a store
    /// problem found on the way.</exception>
    public static RollbackResult Run(IKeyValueStore store, ulong target, Action<StateBlock>? afterStep = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        BlockHeader from = StateHistory.ReadStateHeader(store) ?? StoredChain.ReadHead(store);
        if (target > from.Number)
            throw new RollbackException(RollbackError.TargetAboveState, $"the store holds the state of block {from.Number}; cannot roll back to the later block {target}");
        if (from.Number - target > StateHistory.BackwardWindowBlocks)
            throw new RollbackException(RollbackError.BeyondWindow, $"block {target} is {from.Number - target} blocks below the state at {from.Number}; at most {StateHistory.BackwardWindowBlocks} can be rolled back");
        BlockHeader targetHeader = StoredChain.ReadCanonical(store, target)
            ?? throw new RollbackException(RollbackError.MissingHeader, $"the store holds no canonical header at block {target}");
        CheckPath(store, from, targetHeader);

        BlockHeader current = from;
        while (current.Number > target)
        {
            cancellation.ThrowIfCancellationRequested();
            BlockHeader parent = Parent(store, current);
            Undo(store, current, parent);
            current = parent;
            afterStep?.Invoke(new StateBlock(current.Number, current.Hash, current.StateRoot));
        }
        return new RollbackResult(from.Number, from.Hash, current.Number, current.Hash, current.StateRoot, from.Number - target,
            current.Hash == targetHeader.Hash && current.StateRoot == targetHeader.StateRoot);
    }

    // Walks the parent links from the held state to the target: every block needs a backward diff; the walk must end at
    // the canonical target. Reads headers only (diff values are not loaded).
    private static void CheckPath(IKeyValueReader store, BlockHeader from, BlockHeader target)
    {
        BlockHeader current = from;
        while (current.Number > target.Number)
        {
            if (!BackwardDiffStore.Contains(store, current.Number))
                throw new RollbackException(RollbackError.BeyondWindow, $"no backward diff is kept for block {current.Number}: the state can be rolled back only to block {current.Number}");
            current = Parent(store, current);
        }
        if (current.Hash != target.Hash)
            throw new RollbackException(RollbackError.NotCanonical, $"the held state's chain passes block {target.Number} at {current.Hash}, but the canonical block there is {target.Hash}");
    }

    private static void Undo(IKeyValueStore store, BlockHeader block, BlockHeader parent)
    {
        if (!BackwardDiffStore.TryRead(store, block.Number, out Mgr.Trie.Primitives.Hash256 owner, out byte[] encoded) || owner != block.Hash)
            throw new RollbackException(RollbackError.CorruptHistory, $"the backward diff kept for block {block.Number} belongs to {owner}, not {block.Hash}");
        StateDiff diff;
        try
        {
            diff = StateDiff.Decode(encoded);
        }
        catch (StateDiffException e)
        {
            throw new RollbackException(RollbackError.CorruptHistory, $"the backward diff of block {block.Number} is malformed: {e.Message}", e);
        }
        using IWriteBatch batch = store.BeginBatch();
        try
        {
            StateApplier.Write(store, batch, block.StateRoot, diff, parent.StateRoot);
        }
        catch (StateApplyException e)
        {
            throw new RollbackException(RollbackError.RootMismatch, $"undoing block {block.Number} does not give block {parent.Number}'s state root: {e.Message}", e);
        }
        BackwardDiffStore.Delete(batch, block.Number);
        StateBlockStore.Write(batch, new StateBlock(parent.Number, parent.Hash, parent.StateRoot));
        batch.Commit();
    }

    private static BlockHeader Parent(IKeyValueReader store, BlockHeader block) =>
        StateHistory.ReadHeader(store, block.Number - 1, block.ParentHash)
        ?? throw new RollbackException(RollbackError.MissingHeader, $"the header of block {block.Number - 1} ({block.ParentHash}), parent of block {block.Number}, is not stored");
}
