namespace Mgr.Protocol.Messages;

/// <summary>Every hard and soft limit of the MGR protocol, each with the reason for its value
/// (spec/mgr-protocol.md §8).</summary>
public static class Limits
{
    /// <summary>Protocol version this code speaks. Raised when messages are added; codes never change meaning.
    /// Version 2 added follow mode (GetStateDiff / StateDiff).</summary>
    public const ulong ProtocolVersion = 2;

    /// <summary>First version that defines <see cref="MessageCode.GetStateDiff"/> and <see cref="MessageCode.StateDiff"/>.</summary>
    public const ulong FollowModeVersion = 2;

    /// <summary>Largest uncompressed payload: bounds per-peer receive memory and is 4× the largest chunk.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Largest frame after the length prefix: the code byte plus snappy's worst case
    /// (32 + n + n/6) for <see cref="MaxPayloadBytes"/>, so every legal payload fits.</summary>
    public const int MaxFrameBytes = 1 + 32 + MaxPayloadBytes + MaxPayloadBytes / 6;

    /// <summary>Bytes of the frame length varint: 4 reach 2^28, above <see cref="MaxFrameBytes"/>.</summary>
    public const int MaxFrameLengthPrefixBytes = 4;

    /// <summary>A chunk or diff whose payload would exceed this is split into its 16 children: keeps a
    /// single message well under <see cref="MaxPayloadBytes"/> and pushes fine-grained.</summary>
    public const int MaxStateDataBytes = 4 * 1024 * 1024;

    /// <summary>Soft cap a server applies to TrieNodes/ByteCodes/BlockHeaders responses (whatever the request's byte
    /// limit says), as snap recommends: bounds the work one request can cause.</summary>
    public const int MaxResponseBytes = 2 * 1024 * 1024;

    /// <summary>Outstanding requests towards one peer: enough to fill a fast link, bounded server work.</summary>
    public const int MaxInFlightRequests = 64;

    /// <summary>Headers per GetBlockHeaders, as eth.</summary>
    public const int MaxHeadersPerRequest = 1024;

    /// <summary>Paths (all path sets together) per GetTrieNodes: bounded lookup work per request.</summary>
    public const int MaxTrieNodePaths = 1024;

    /// <summary>Hashes per GetByteCodes: bounded lookup work per request.</summary>
    public const int MaxCodeHashesPerRequest = 1024;

    /// <summary>Intervals in one range set: a fully fragmented have-set at depth 4 (65,536 chunks, every other one held).</summary>
    public const int MaxHaveIntervals = 65_536;

    /// <summary>External-storage entries in Status/Haves: keeps them small; omitted entries only cost efficiency.</summary>
    public const int MaxStorageHaveEntries = 4096;

    /// <summary>A key has 64 nibbles; no prefix is longer.</summary>
    public const int MaxChunkDepth = 64;

    /// <summary>Average leaves per chunk aimed at: ≈ 256 KiB of leaf data, a few hundred ms on a slow link.</summary>
    public const int TargetLeavesPerChunk = 2048;

    /// <summary>Deepest depth the selection picks: 16.7 M chunks, far beyond mainnet's needs.</summary>
    public const int MaxSelectedDepth = 6;

    /// <summary>Storage tries up to this many slots ride inside their account chunk (≈ 18 KiB each).</summary>
    public const int InlineStorageMaxSlots = 256;

    /// <summary>Epochs back that a seeder keeps diffs and serves ChunkDiff: covers a leecher a few epochs behind.</summary>
    public const int DiffWindowEpochs = 4;

    /// <summary>Largest state diff in a StateDiff message: a 30 M-gas block changes at most ~10^4 slots (≲ 2 MiB);
    /// half of <see cref="MaxPayloadBytes"/> leaves room for the envelope and bounds what one answer can cost.</summary>
    public const int MaxStateDiffBytes = 8 * 1024 * 1024;

    /// <summary>Blocks back that a serving node keeps per-block diffs for GetStateDiff, at least: four mainnet epochs of
    /// 256 blocks, the same reach as <see cref="DiffWindowEpochs"/>, so a node that just finished syncing can catch up.</summary>
    public const int StateDiffWindowBlocks = 1024;

    /// <summary>Largest account trie leaf value: RLP list of nonce (9), balance (33), two hashes (2×33) and a 3-byte header.</summary>
    public const int MaxAccountValueBytes = 111;

    /// <summary>Largest storage leaf value: the RLP of a trimmed 32-byte word.</summary>
    public const int MaxSlotValueBytes = 33;

    /// <summary>Nodes in one proof: two tries' paths (≤ 64 levels each) with room to spare; equals the trie's
    /// <c>ProofNodeSet.MaxNodes</c> so every decoded proof can be verified.</summary>
    public const int MaxProofNodes = 256;

    /// <summary>Largest trie node encoding: a full branch node is at most 532 bytes.</summary>
    public const int MaxTrieNodeBytes = 1024;

    /// <summary>Largest contract code accepted: well above today's 24 KiB limit and the increases proposed for it.</summary>
    public const int MaxCodeBytes = 256 * 1024;
}
