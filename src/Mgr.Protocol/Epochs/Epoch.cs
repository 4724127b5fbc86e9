using Mgr.Protocol.Chunking;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Epochs;

/// <summary>One sync epoch as peers announce it: its number, the boundary block's hash (which is also the
/// ride's start key) and state root, and the chunk depth the sender uses. Wire form
/// <c>[number, boundary_hash, state_root, chunk_depth]</c>.</summary>
public readonly record struct Epoch
{
    public Epoch(ulong number, Hash256 boundaryHash, Hash256 stateRoot, int chunkDepth)
    {
        if ((uint)chunkDepth > KeyspacePartition.MaxIndexedDepth)
            throw new ArgumentOutOfRangeException(nameof(chunkDepth), chunkDepth, "Chunk depth is 0..15.");
        Number = number;
        BoundaryHash = boundaryHash;
        StateRoot = stateRoot;
        ChunkDepth = chunkDepth;
    }

    /// <summary>Epoch number k (boundary at k·E).</summary>
    public ulong Number { get; }

    /// <summary>Hash of the boundary block.</summary>
    public Hash256 BoundaryHash { get; }

    /// <summary>State root of the boundary block: anchors every chunk of the epoch.</summary>
    public Hash256 StateRoot { get; }

    /// <summary>Chunk depth the sender uses for the account keyspace.</summary>
    public int ChunkDepth { get; }

    /// <summary>Where the epoch's ride starts: the boundary hash, read as a key.</summary>
    public Hash256 StartKey => BoundaryHash;

    /// <summary>The account chunks of this epoch in ride order.</summary>
    public RideOrder Ride => new KeyspacePartition(ChunkDepth).RideFrom(StartKey);

    internal int ContentLength() => Rlp.LengthOf(Number) + 33 + 33 + Rlp.LengthOf((ulong)ChunkDepth);

    /// <summary>Encoded length of an optional epoch (the empty list when absent).</summary>
    public static int EncodedLength(Epoch? epoch) => epoch is { } value ? Rlp.LengthOfList(value.ContentLength()) : 1;

    /// <summary>Writes an optional epoch: the list, or the empty list when absent.</summary>
    public static void Write(ref RlpWriter writer, Epoch? epoch)
    {
        if (epoch is not { } value)
        {
            writer.WriteListHeader(0);
            return;
        }
        writer.WriteListHeader(value.ContentLength());
        writer.Write(value.Number);
        writer.Write(value.BoundaryHash);
        writer.Write(value.StateRoot);
        writer.Write((ulong)value.ChunkDepth);
    }

    /// <summary>Reads an optional epoch.</summary>
    /// <exception cref="ProtocolViolationException">A chunk depth beyond 15.</exception>
    public static Epoch? Read(ref RlpReader reader)
    {
        RlpReader fields = reader.ReadList();
        if (fields.IsEnd) return null;
        ulong number = fields.ReadUInt64();
        Hash256 boundary = fields.ReadHash(), root = fields.ReadHash();
        ulong depth = fields.ReadUInt64();
        fields.EnsureEnd();
        if (depth > KeyspacePartition.MaxIndexedDepth) ProtocolViolationException.Throw(ViolationReason.ValueOutOfRange, $"epoch chunk depth {depth} beyond 15");
        return new Epoch(number, boundary, root, (int)depth);
    }
}
