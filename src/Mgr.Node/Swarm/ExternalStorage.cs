using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>An account whose storage travels in its own chunks (more than
/// <see cref="Mgr.Protocol.Messages.Limits.InlineStorageMaxSlots"/> slots, spec/mgr-protocol.md §5.3): its storage
/// root, slot count and the chunk depth chosen from that count.</summary>
public sealed record ExternalStorage(Hash256 Account, Hash256 StorageRoot, long SlotCount, int Depth);
