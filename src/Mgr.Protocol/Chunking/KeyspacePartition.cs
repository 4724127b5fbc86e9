using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Chunking;

/// <summary>The split of a keyspace into the 16^depth prefix chunks of one depth; chunk i covers the keys whose
/// first <see cref="Depth"/> nibbles, read as a number, equal i. The chunks are disjoint and cover every key.</summary>
/// <remarks>Depth is limited to 15 here so indexes fit in a <see cref="ulong"/>; deeper chunk ids exist only
/// through splitting (<see cref="ChunkId.Children"/>).</remarks>
public readonly record struct KeyspacePartition
{
    /// <summary>Deepest partition with ulong chunk indexes.</summary>
    public const int MaxIndexedDepth = 15;

    public KeyspacePartition(int depth, Hash256? account = null)
    {
        if ((uint)depth > MaxIndexedDepth) throw new ArgumentOutOfRangeException(nameof(depth), depth, "Partition depth is 0..15.");
        Depth = depth;
        Account = account;
    }

    /// <summary>Prefix length in nibbles.</summary>
    public int Depth { get; }

    /// <summary>The account for a storage keyspace, or null for the account keyspace.</summary>
    public Hash256? Account { get; }

    /// <summary>Number of chunks (16^Depth).</summary>
    public ulong ChunkCount => 1UL << (4 * Depth);

    /// <summary>Index of the chunk holding <paramref name="key"/>.</summary>
    public ulong IndexOf(Hash256 key) => Depth == 0 ? 0 : key.Word(0) >> (64 - 4 * Depth);

    /// <summary>The chunk with index <paramref name="index"/>.</summary>
    public ChunkId ChunkAt(ulong index)
    {
        if (index >= ChunkCount) throw new ArgumentOutOfRangeException(nameof(index), index, "Chunk index beyond the partition.");
        ulong top = Depth == 0 ? 0 : index << (64 - 4 * Depth);
        return new ChunkId(Account, Depth, new Hash256(top, 0, 0, 0));
    }

    /// <summary>The chunk holding <paramref name="key"/>.</summary>
    public ChunkId ChunkOf(Hash256 key) => ChunkAt(IndexOf(key));

    /// <summary>The chunks in ride order from the one holding <paramref name="startKey"/> (§5.5).</summary>
    public RideOrder RideFrom(Hash256 startKey) => new(this, IndexOf(startKey));

}
