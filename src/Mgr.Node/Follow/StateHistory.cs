using System.Buffers;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;

namespace Mgr.Node.Follow;

/// <summary>What a store keeps about every block whose state it applies, written in the block's own batch: the forward
/// diff (served by GetStateDiff for <see cref="ForwardWindowBlocks"/>), the backward diff (for rollback, kept for
/// <see cref="BackwardWindowBlocks"/>) and the <see cref="StateBlock"/> marker. Older entries are pruned in the same
/// batch, so both windows stay bounded whatever the chain's length (spec/follow.md).</summary>
public static class StateHistory
{
    /// <summary>Blocks an operator can roll the persistent state back: about 12.5 days of 12-second slots.</summary>
    public const ulong BackwardWindowBlocks = 90_000;

    /// <summary>Blocks whose forward diffs stay servable (spec/mgr-protocol.md §4.11).</summary>
    public const ulong ForwardWindowBlocks = Mgr.Protocol.Messages.Limits.StateDiffWindowBlocks;

    /// <summary>Forward diffs are pruned by a range delete once every this many blocks (one range tombstone per
    /// interval rather than per block); the window therefore holds up to this many extra blocks.</summary>
    public const ulong ForwardPruneInterval = 64;

    /// <summary>Adds the history of <paramref name="header"/>'s block to <paramref name="batch"/>, which also holds the
    /// block's state writes. <paramref name="parentState"/> must still show the parent's flat state (the committed store,
    /// before the batch commits).</summary>
    public static void Record(IKeyValueReader parentState, IWriteBatch batch, BlockHeader header, StateDiff forward, ReadOnlySpan<byte> encodedForward = default)
    {
        ArgumentNullException.ThrowIfNull(parentState);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(forward);
        ulong number = header.Number;
        StateDiffStore.Write(batch, number, header.Hash, encodedForward.IsEmpty ? forward.Encode() : encodedForward);
        if (number % ForwardPruneInterval == 0 && number >= ForwardWindowBlocks) StateDiffStore.DeleteBelow(batch, number - ForwardWindowBlocks + 1);

        StateDiff backward = BackwardDiff.Compute(parentState, forward);
        byte[] encodedBackward = backward.Encode();
        if (encodedBackward.Length <= StateDiff.MaxEncodedBytes)
        {
            BackwardDiffStore.Write(batch, number, header.Hash, encodedBackward);
            if (number > BackwardWindowBlocks) BackwardDiffStore.Delete(batch, number - BackwardWindowBlocks);
        }
        else
        {
            // Too large to read back: rollback cannot cross this block, so nothing older is worth keeping either.
            BackwardDiffStore.DeleteThrough(batch, number);
        }
        StateBlockStore.Write(batch, new StateBlock(number, header.Hash, header.StateRoot));
    }

    /// <summary>The header of the block named by the <see cref="StateBlock"/> marker, or null when the store has no
    /// marker (it never applied a block: genesis only, or a store of an older build).</summary>
    /// <exception cref="StorageException">When the marker names a header the store does not hold or cannot decode.</exception>
    public static BlockHeader? ReadStateHeader(IKeyValueReader store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!StateBlockStore.TryRead(store, out StateBlock block)) return null;
        BlockHeader header = ReadHeader(store, block.Number, block.Hash)
            ?? throw new StorageException($"The state-block marker names block {block.Number} ({block.Hash}), whose header is not stored.");
        if (header.StateRoot != block.StateRoot)
            throw new StorageException($"The state-block marker says root {block.StateRoot} for block {block.Number}, its header says {header.StateRoot}.");
        return header;
    }

    /// <summary>The stored header (number, hash), or null when absent.</summary>
    /// <exception cref="StorageException">When the stored header cannot be decoded.</exception>
    public static BlockHeader? ReadHeader(IKeyValueReader store, ulong number, Mgr.Trie.Primitives.Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rlp = new ArrayBufferWriter<byte>(640);
        if (!HeaderStore.TryRead(store, number, hash, rlp)) return null;
        try
        {
            return BlockHeader.Decode(rlp.WrittenSpan);
        }
        catch (HeaderDecodeException e)
        {
            throw new StorageException($"The stored header {number} ({hash}) is malformed: {e.Message}", e);
        }
    }
}
