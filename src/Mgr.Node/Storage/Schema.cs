using System.Buffers.Binary;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>
/// Every column of the node's store and the layout of its keys and values; spec/storage.md documents the same.
/// Numbers are big-endian so that byte order is numeric order. Column names are persisted: never rename or
/// reuse one; a change of any layout here needs a new <see cref="SchemaVersion.Current"/>.
/// </summary>
public static class Schema
{
    /// <summary>Store metadata: ASCII name → value; holds <see cref="SchemaVersionKey"/>.</summary>
    public static readonly StoreColumn Meta = new(0, "meta");

    /// <summary>Block headers: number (8) ‖ hash (32) → header RLP; number first so a number's headers are adjacent.</summary>
    public static readonly StoreColumn Headers = new(1, "headers");

    /// <summary>Header lookup by hash: hash (32) → number (8).</summary>
    public static readonly StoreColumn HeaderNumbers = new(2, "header-numbers");

    /// <summary>Canonical chain: number (8) → hash (32) of the canonical header at that height.</summary>
    public static readonly StoreColumn CanonicalHashes = new(3, "canonical-hashes");

    /// <summary>Trie nodes of every root: node hash (32) = Keccak-256 of the RLP → node RLP.</summary>
    public static readonly StoreColumn TrieNodes = new(4, "trie-nodes");

    /// <summary>Flat accounts in key order: hashed address (32) → account RLP [nonce, balance, storageRoot, codeHash].</summary>
    public static readonly StoreColumn Accounts = new(5, "accounts");

    /// <summary>Flat storage in key order: hashed address (32) ‖ hashed slot (32) → slot value RLP.</summary>
    public static readonly StoreColumn StorageSlots = new(6, "storage-slots");

    /// <summary>Contract code: code hash (32) → bytecode.</summary>
    public static readonly StoreColumn Code = new(7, "code");

    /// <summary>Sync progress: state root (32) ‖ interval start (32) → interval end (32), inclusive; the account
    /// key intervals whose flat leaves (and their storage) are held for that root. Intervals of one root never
    /// overlap or touch (adjacent ones are merged), and no two roots claim the same key.</summary>
    public static readonly StoreColumn SyncProgress = new(8, "sync-progress");

    /// <summary>Header-download segments: first number (8) → last number (8) ‖ first hash (32) ‖ last hash (32).</summary>
    public static readonly StoreColumn HeaderSegments = new(9, "header-segments");

    /// <summary>Staged-pipeline checkpoints: stage id (2) → block number (8) ‖ stage-defined cursor bytes.</summary>
    public static readonly StoreColumn StageCheckpoints = new(10, "stage-checkpoints");

    /// <summary>Peer penalties: peer id bytes → score (8, signed) ‖ banned-until Unix milliseconds (8, signed).</summary>
    public static readonly StoreColumn PeerPenalties = new(11, "peer-penalties");

    /// <summary>Forward state diffs of recently applied blocks, served by GetStateDiff: number (8) ‖ hash (32) → diff RLP.</summary>
    public static readonly StoreColumn StateDiffs = new(12, "state-diffs");

    /// <summary>Backward state diffs for rollback: number (8) → block hash (32) ‖ RLP of the diff that turns the state
    /// of that canonical block back into its parent's.</summary>
    public static readonly StoreColumn BackwardDiffs = new(13, "backward-diffs");

    /// <summary>External-storage progress of a syncing node: hashed address (32) ‖ slot range start (32) → storage root
    /// (32) ‖ slot range end (32), inclusive: the slot range of that account's flat storage held at that storage root.
    /// Written in the batch that writes the range's slots; range-deleted with the account's flat state.</summary>
    public static readonly StoreColumn StorageProgress = new(14, "storage-progress");

    /// <summary>Sync epochs a syncing node took up: state root (32) → epoch number (8) ‖ boundary block hash (32), so a
    /// restarted node can roll ranges held at an older root forward by diffs from that epoch.</summary>
    public static readonly StoreColumn EpochAnchors = new(15, "epoch-anchors");

    /// <summary>Every column, indexed by <see cref="StoreColumn.Id"/>.</summary>
    public static IReadOnlyList<StoreColumn> Columns { get; } =
    [
        Meta, Headers, HeaderNumbers, CanonicalHashes, TrieNodes, Accounts, StorageSlots, Code,
        SyncProgress, HeaderSegments, StageCheckpoints, PeerPenalties, StateDiffs, BackwardDiffs, StorageProgress, EpochAnchors,
    ];

    /// <summary><see cref="Meta"/> key of the schema version (value: 4-byte big-endian unsigned).</summary>
    public static ReadOnlySpan<byte> SchemaVersionKey => "schema-version"u8;

    /// <summary><see cref="Meta"/> key of the block whose state the flat state holds (value: number (8) ‖ hash (32) ‖
    /// state root (32)); written in the batch that changes the flat state.</summary>
    public static ReadOnlySpan<byte> StateBlockKey => "state-block"u8;

    public const int NumberLength = 8;
    public const int HeaderKeyLength = NumberLength + Hash256.Length;
    public const int StorageSlotKeyLength = 2 * Hash256.Length;
    public const int ProgressKeyLength = 2 * Hash256.Length;
    public const int StageIdLength = 2;

    /// <summary>Writes a block number as 8 big-endian bytes.</summary>
    public static void WriteNumber(ulong number, Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, number);

    public static ulong ReadNumber(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt64BigEndian(source);

    /// <summary><see cref="Headers"/> key: number ‖ hash.</summary>
    public static void WriteHeaderKey(ulong number, Hash256 hash, Span<byte> destination)
    {
        WriteNumber(number, destination);
        hash.CopyTo(destination[NumberLength..HeaderKeyLength]);
    }

    /// <summary><see cref="StorageSlots"/> key: hashed address ‖ hashed slot.</summary>
    public static void WriteStorageSlotKey(Hash256 account, Hash256 slot, Span<byte> destination)
    {
        account.CopyTo(destination[..Hash256.Length]);
        slot.CopyTo(destination[Hash256.Length..StorageSlotKeyLength]);
    }

    /// <summary><see cref="SyncProgress"/> key: root ‖ interval start.</summary>
    public static void WriteProgressKey(Hash256 root, Hash256 start, Span<byte> destination)
    {
        root.CopyTo(destination[..Hash256.Length]);
        start.CopyTo(destination[Hash256.Length..ProgressKeyLength]);
    }
}
