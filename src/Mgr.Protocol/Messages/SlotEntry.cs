using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Messages;

/// <summary>A storage leaf: the slot's key hash and its trie value (the RLP of the trimmed 32-byte word, 1–33
/// bytes). In a chunk diff an empty <see cref="Value"/> means the slot was deleted. Wire form <c>[slot_hash, value]</c>.</summary>
public readonly record struct SlotEntry(Hash256 SlotHash, ReadOnlyMemory<byte> Value);
