using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>
/// A state chunk whose proof has been verified against <see cref="Root"/>: every account leaf in
/// <see cref="Interval"/> (ascending), the storage slots of those accounts, and the trie nodes worth keeping.
/// <see cref="ChunkStore"/> rejects a chunk whose leaves fall outside the interval or are out of order.
/// </summary>
public sealed record VerifiedChunk(
    Hash256 Root,
    KeyInterval Interval,
    IReadOnlyList<FlatLeaf> Accounts,
    IReadOnlyList<StorageSlotLeaf> StorageSlots,
    IReadOnlyList<TrieNodeBlob> Nodes);
