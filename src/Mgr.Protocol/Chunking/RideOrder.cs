namespace Mgr.Protocol.Chunking;

/// <summary>The order in which an epoch's ride visits the chunks of a partition: from the chunk holding the
/// start key up through the keyspace, wrapping to the beginning, each chunk once (spec/mgr-protocol.md §5.5).
/// Enumerates without allocating.</summary>
public readonly struct RideOrder(KeyspacePartition partition, ulong firstIndex)
{
    /// <summary>The partition ridden.</summary>
    public KeyspacePartition Partition => partition;

    /// <summary>Index of the first chunk of the ride.</summary>
    public ulong FirstIndex => firstIndex;

    /// <summary>Chunk index at ride step <paramref name="step"/> (0-based, wraps).</summary>
    public ulong IndexAt(ulong step) => (firstIndex + step) & (partition.ChunkCount - 1);

    /// <summary>How many steps after the start the chunk <paramref name="index"/> comes.</summary>
    public ulong StepOf(ulong index) => (index - firstIndex) & (partition.ChunkCount - 1);

    public Enumerator GetEnumerator() => new(this);

    /// <summary>Walks the chunk ids of one revolution.</summary>
    public struct Enumerator(RideOrder ride)
    {
        private ulong _step = ulong.MaxValue;

        public readonly ChunkId Current => ride.Partition.ChunkAt(ride.IndexAt(_step));

        public bool MoveNext() => unchecked(++_step) < ride.Partition.ChunkCount;
    }
}
