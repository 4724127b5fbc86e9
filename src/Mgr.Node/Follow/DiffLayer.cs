using Mgr.Node.State;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Follow;

/// <summary>One verified, not yet finalized block held in memory: its header, its state diff (as received, for
/// serving) and the writes its state makes (<see cref="LayerWrites"/>) on top of its parent — another layer, or the
/// persistent state when <see cref="Parent"/> is null.</summary>
/// <remarks>Created and linked by <see cref="LayerTree"/>, which alone changes <see cref="Parent"/> (to null when the
/// parent is flattened into the store). Its diff and writes never change after creation.</remarks>
public sealed class DiffLayer
{
    internal DiffLayer(BlockHeader header, DiffLayer? parent, StateDiff diff, ReadOnlyMemory<byte> encodedDiff, LayerWrites writes)
    {
        Header = header;
        Parent = parent;
        Diff = diff;
        EncodedDiff = encodedDiff;
        Writes = writes;
    }

    public BlockHeader Header { get; }

    public Hash256 Hash => Header.Hash;

    public ulong Number => Header.Number;

    public Hash256 StateRoot => Header.StateRoot;

    /// <summary>The parent layer, or null when the parent is the persistent state.</summary>
    public DiffLayer? Parent { get; internal set; }

    /// <summary>The block's state diff.</summary>
    public StateDiff Diff { get; }

    /// <summary>The diff's RLP as received (what GetStateDiff serves).</summary>
    public ReadOnlyMemory<byte> EncodedDiff { get; }

    /// <summary>The block's state writes, readable in memory.</summary>
    public LayerWrites Writes { get; }

    /// <summary>Estimated memory held: the writes, the encoded diff and the decoded diff (about as large again).</summary>
    public long Bytes => Writes.Bytes + 2L * EncodedDiff.Length;

    /// <summary>The layer at the bottom of this layer's branch (whose parent is the persistent state).</summary>
    public DiffLayer Root
    {
        get
        {
            DiffLayer layer = this;
            while (layer.Parent is { } parent) layer = parent;
            return layer;
        }
    }
}
