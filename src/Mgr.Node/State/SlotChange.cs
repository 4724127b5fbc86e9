using Mgr.Trie.Primitives;

namespace Mgr.Node.State;

/// <summary>One storage slot changed by a block, keyed by Keccak-256 of the slot: its new word; zero deletes the
/// slot (absent and zero are the same in Ethereum state).</summary>
public readonly record struct SlotChange(Hash256 SlotHash, UInt256 Value)
{
    /// <summary>True when the change removes the slot.</summary>
    public bool IsDeletion => Value.IsZero;
}
