using Mgr.Trie.Primitives;

namespace Mgr.Node.State;

/// <summary>One account changed by a block, keyed by Keccak-256 of its address: its new nonce, balance and code
/// hash, or <see cref="IsDeleted"/> (which also clears its storage). The storage root is not part of the change:
/// <see cref="StateApplier"/> recomputes it from the account's storage changes.</summary>
public readonly record struct AccountChange(Hash256 AddressHash, bool IsDeleted, ulong Nonce, UInt256 Balance, Hash256 CodeHash)
{
    /// <summary>A change that sets the account to these fields (creating it if absent).</summary>
    public static AccountChange Update(Hash256 addressHash, ulong nonce, UInt256 balance, Hash256 codeHash) =>
        new(addressHash, false, nonce, balance, codeHash);

    /// <summary>A change that deletes the account and all its storage.</summary>
    public static AccountChange Delete(Hash256 addressHash) => new(addressHash, true, 0, UInt256.Zero, Hash256.EmptyKeccak);
}
