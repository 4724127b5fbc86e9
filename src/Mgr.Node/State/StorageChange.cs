using Mgr.Trie.Primitives;

namespace Mgr.Node.State;

/// <summary>The storage changes of one account in a block: slots in strictly ascending <see cref="SlotChange.SlotHash"/>
/// order, at least one.</summary>
public sealed record StorageChange(Hash256 AddressHash, IReadOnlyList<SlotChange> Slots);
