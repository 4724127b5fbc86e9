using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Tries;

namespace Mgr.Node.Tests.State;

/// <summary>A plain in-memory model of Ethereum state for tests: applies diffs by their documented meaning and
/// computes the state root from scratch (no incremental tries), to check the real applier against.</summary>
public sealed class ReferenceState
{
    public Dictionary<Hash256, (ulong Nonce, UInt256 Balance, Hash256 CodeHash)> Accounts { get; } = [];

    public Dictionary<Hash256, Dictionary<Hash256, UInt256>> Storage { get; } = [];

    /// <summary>The flat state of a store (accounts and slots) as a model.</summary>
    public static ReferenceState Load(IKeyValueReader reader)
    {
        var state = new ReferenceState();
        using (IRangeCursor cursor = reader.Iterate(Schema.Accounts, [], []))
        {
            while (cursor.MoveNext())
            {
                Account account = Account.Decode(cursor.Value);
                state.Accounts[new Hash256(cursor.Key)] = (account.Nonce, account.Balance, account.CodeHash);
            }
        }
        using (IRangeCursor cursor = reader.Iterate(Schema.StorageSlots, [], []))
        {
            while (cursor.MoveNext())
            {
                var address = new Hash256(cursor.Key[..32]);
                if (!state.Storage.TryGetValue(address, out Dictionary<Hash256, UInt256>? slots)) state.Storage[address] = slots = [];
                slots[new Hash256(cursor.Key[32..])] = StorageSlot.DecodeValue(cursor.Value);
            }
        }
        return state;
    }

    public void Apply(StateDiff diff)
    {
        foreach (AccountChange change in diff.Accounts)
        {
            if (change.IsDeleted)
            {
                Accounts.Remove(change.AddressHash);
                Storage.Remove(change.AddressHash);
            }
            else
            {
                Accounts[change.AddressHash] = (change.Nonce, change.Balance, change.CodeHash);
            }
        }
        foreach (StorageChange change in diff.Storage)
        {
            if (!Storage.TryGetValue(change.AddressHash, out Dictionary<Hash256, UInt256>? slots)) Storage[change.AddressHash] = slots = [];
            foreach (SlotChange slot in change.Slots)
            {
                if (slot.IsDeletion) slots.Remove(slot.SlotHash);
                else slots[slot.SlotHash] = slot.Value;
            }
            if (slots.Count == 0) Storage.Remove(change.AddressHash);
        }
    }

    public Hash256 StorageRoot(Hash256 address)
    {
        if (!Storage.TryGetValue(address, out Dictionary<Hash256, UInt256>? slots)) return Hash256.EmptyTrieRoot;
        var leaves = new List<TrieLeaf>();
        foreach ((Hash256 slot, UInt256 value) in slots)
        {
            var encoded = new byte[StorageSlot.MaxEncodedValueLength];
            int length = StorageSlot.EncodeValue(value, encoded);
            leaves.Add(new TrieLeaf(slot, encoded.AsMemory(0, length)));
        }
        return TrieRoots.Compute(leaves);
    }

    public Hash256 Root()
    {
        var leaves = new List<TrieLeaf>();
        foreach ((Hash256 address, (ulong nonce, UInt256 balance, Hash256 codeHash)) in Accounts)
        {
            leaves.Add(new TrieLeaf(address, new Account(nonce, balance, StorageRoot(address), codeHash).Encode()));
        }
        return TrieRoots.Compute(leaves);
    }
}
