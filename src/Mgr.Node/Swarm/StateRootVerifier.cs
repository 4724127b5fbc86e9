using Mgr.Node.Storage;
using Mgr.Protocol.Messages;
using Mgr.Trie.Building;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Swarm;

/// <summary>The final check of a sync (spec/swarm.md §6): rebuilds the account trie from every flat account in the
/// store, every non-empty storage trie from its flat slots, checks that each account's code is present, and compares
/// the account root with the epoch header's state root. Only a node whose store passes reports itself synced.</summary>
/// <remarks>Reads only; one pass over the flat state, memory bounded by the trie depth.</remarks>
public static class StateRootVerifier
{
    /// <summary>Verifies the flat state in <paramref name="store"/> against <paramref name="expectedRoot"/>.</summary>
    public static StateVerification Verify(IKeyValueReader store, Hash256 expectedRoot)
    {
        ArgumentNullException.ThrowIfNull(store);
        var accounts = new StackTrieBuilder();
        var storage = new StackTrieBuilder();
        long accountCount = 0, slotCount = 0;
        // One sequential pass over each column: slots are keyed account ‖ slot, so they come in account order.
        using IRangeCursor cursor = store.Iterate(Schema.Accounts, [], []);
        using IRangeCursor slots = store.Iterate(Schema.StorageSlots, [], []);
        bool slotPending = slots.MoveNext();
        while (cursor.MoveNext())
        {
            var account = new Hash256(cursor.Key);
            accounts.Add(account, cursor.Value);
            accountCount++;
            (Hash256 storageRoot, Hash256 codeHash) = AccountValue.Read(cursor.Value);
            if (codeHash != Hash256.EmptyKeccak && !LeecherStore.HasCode(store, codeHash))
                return new StateVerification(false, default, accountCount, slotCount, $"code {codeHash} of account {account} is missing");
            if (slotPending && new Hash256(slots.Key[..Hash256.Length]) < account)
                return new StateVerification(false, default, accountCount, slotCount, $"storage slots of absent account {new Hash256(slots.Key[..Hash256.Length])}");
            while (slotPending && new Hash256(slots.Key[..Hash256.Length]) == account)
            {
                storage.Add(slots.Key[Hash256.Length..], slots.Value);
                slotCount++;
                slotPending = slots.MoveNext();
            }
            Hash256 rebuilt = storage.Finish();
            if (rebuilt != storageRoot)
                return new StateVerification(false, default, accountCount, slotCount, $"storage of account {account} rebuilds {rebuilt}, not {storageRoot}");
        }
        if (slotPending)
            return new StateVerification(false, default, accountCount, slotCount, $"storage slots of absent account {new Hash256(slots.Key[..Hash256.Length])}");
        Hash256 root = accounts.Finish();
        return root == expectedRoot
            ? new StateVerification(true, root, accountCount, slotCount, null)
            : new StateVerification(false, root, accountCount, slotCount, $"state rebuilds {root}, header says {expectedRoot}");
    }
}
