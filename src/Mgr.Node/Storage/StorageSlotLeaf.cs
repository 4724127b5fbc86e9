using Mgr.Trie.Primitives;

namespace Mgr.Node.Storage;

/// <summary>A storage leaf of the flat state: hashed address, hashed slot and the slot value RLP.</summary>
public readonly record struct StorageSlotLeaf(Hash256 Account, Hash256 Slot, ReadOnlyMemory<byte> Value);
