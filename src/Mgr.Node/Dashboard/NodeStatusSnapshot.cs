using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Dashboard;

/// <summary>An immutable picture of a running node: identity, epoch, the account keyspace it holds, the ride, stage
/// progress, peers and cumulative traffic. Rates are not part of it: consumers derive them from two snapshots
/// (<see cref="Mgr.Node.Progress.RateTracker"/>).</summary>
public sealed record NodeStatusSnapshot
{
    /// <summary>When the numbers were read; rates divide by the difference of two of these.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>This node's libp2p peer id.</summary>
    public required string PeerId { get; init; }

    /// <summary>The node's current role (a leecher becomes a seeder once synced).</summary>
    public required Role Role { get; init; }

    /// <summary>The network id of the chain.</summary>
    public ulong NetworkId { get; init; }

    /// <summary>A human name of the network (e.g. "devnet"), or null.</summary>
    public string? NetworkName { get; init; }

    /// <summary>The current sync epoch, or null before the first is known.</summary>
    public ulong? Epoch { get; init; }

    /// <summary>Block number of the current epoch's anchor.</summary>
    public ulong? EpochBlock { get; init; }

    /// <summary>The state root of the current epoch.</summary>
    public Hash256? StateRoot { get; init; }

    /// <summary>The account keyspace this node holds at <see cref="StateRoot"/>.</summary>
    public KeyRangeSet Coverage { get; init; } = KeyRangeSet.Empty;

    /// <summary>The key range of the chunk the ride is at (seeder: pushing it; leecher: the last pushed chunk
    /// received), or null when no ride is known.</summary>
    public KeyRange? RideChunk { get; init; }

    /// <summary>True once the state verified against <see cref="StateRoot"/>.</summary>
    public bool Synced { get; init; }

    /// <summary>Progress of each stage, in display order.</summary>
    public IReadOnlyList<StageProgress> Stages { get; init; } = [];

    /// <summary>Connected peers.</summary>
    public IReadOnlyList<PeerStatus> Peers { get; init; } = [];

    /// <summary>MGR payload bytes received in total.</summary>
    public long BytesIn { get; init; }

    /// <summary>MGR payload bytes sent in total.</summary>
    public long BytesOut { get; init; }

    /// <summary>Chunks that verified and were stored.</summary>
    public long ChunksVerified { get; init; }

    /// <summary>Chunks received that were already held.</summary>
    public long ChunksDuplicate { get; init; }

    /// <summary>Payload bytes of the chunks received that were already held.</summary>
    public long DuplicateBytes { get; init; }

    /// <summary>MGR payload bytes per message type (received, sent), for the types that moved any.</summary>
    public IReadOnlyDictionary<MessageCode, (long In, long Out)> BytesByMessage { get; init; } = new Dictionary<MessageCode, (long In, long Out)>();

    /// <summary>Chunks that failed verification.</summary>
    public long ChunksRejected { get; init; }
}
