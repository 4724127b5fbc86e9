using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Node.Devnet;

/// <summary>Generates the state diff of a devnet block deterministically from the block number and the current flat
/// state: balance transfers among existing EOAs, two new EOAs, storage writes (existing and new slots), slot
/// deletions, an EOA deletion every 16th block, a contract deletion every 50th and a new contract with code every
/// <see cref="DevnetKeys.BlocksPerNewContract"/>th.</summary>
/// <remarks>Reads only the accounts and slots it touches (memory grows with operations per block, not with the state).
/// The same (parameters, number, parent state) always gives the same diff. Not thread-safe.</remarks>
public sealed class DevnetBlockGenerator(DevnetKeys keys)
{
    private readonly DevnetKeys _keys = keys ?? throw new ArgumentNullException(nameof(keys));

    /// <summary>The diff of block <paramref name="number"/> (≥ 1) on top of the flat state in <paramref name="state"/>.</summary>
    public StateDiff Generate(IKeyValueReader state, ulong number)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (number == 0) throw new ArgumentOutOfRangeException(nameof(number), "Block 0 is the genesis.");
        var work = new BlockWork(state);
        long eoas = _keys.EoasBefore(number);
        long contracts = _keys.ContractsBefore(number);

        for (int i = 0; i < DevnetKeys.NewAccountsPerBlock; i++)
        {
            long index = eoas + i;
            work.SetAccount(_keys.EoaAddress(index).Hash(), new Account(0, _keys.InitialBalance(index), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
        }
        if (number % DevnetKeys.BlocksPerNewContract == 0)
        {
            long index = contracts;
            byte[] code = _keys.Code(index);
            Hash256 addressHash = _keys.ContractAddress(index).Hash();
            work.AddCode(code);
            work.SetAccount(addressHash, new Account(1, UInt256.Zero, Hash256.EmptyTrieRoot, Account.CodeHashOf(code)));
            for (long slot = 0; slot < _keys.InitialSlotCount(index); slot++)
            {
                work.SetSlot(addressHash, DevnetKeys.SlotHash(slot), _keys.SlotValue(index, slot, 0));
            }
        }
        if (number % 16 == 0 && eoas > 1)
        {
            Hash256 entropy = _keys.OperationEntropy(number, -1);
            work.DeleteAccount(_keys.EoaAddress(1 + (long)(entropy.Word(0) % (ulong)(eoas - 1))).Hash());
        }
        if (number % 50 == 0 && contracts > 1)
        {
            Hash256 entropy = _keys.OperationEntropy(number, -2);
            work.DeleteAccount(_keys.ContractAddress(1 + (long)(entropy.Word(0) % (ulong)(contracts - 1))).Hash());
        }
        for (int op = 0; op < _keys.Parameters.OperationsPerBlock; op++)
        {
            Hash256 entropy = _keys.OperationEntropy(number, op);
            ulong kind = entropy.Word(0) % 100;
            if (kind < 55 || contracts == 0) Transfer(work, entropy, eoas);
            else WriteSlot(work, entropy, contracts, number, deletion: kind >= 85);
        }
        return work.ToDiff();
    }

    private void Transfer(BlockWork work, Hash256 entropy, long eoas)
    {
        Hash256 from = _keys.EoaAddress((long)(entropy.Word(1) % (ulong)eoas)).Hash();
        Hash256 to = _keys.EoaAddress((long)(entropy.Word(2) % (ulong)eoas)).Hash();
        if (from == to || work.IsDeleted(to) || work.GetAccount(from) is not { } sender) return;
        var amount = new UInt256(1 + entropy.Word(3) % 1_000_000_000_000UL);
        if (sender.Balance < amount) return;
        Account receiver = work.GetAccount(to) ?? Account.Empty;
        work.SetAccount(from, sender with { Nonce = sender.Nonce + 1, Balance = sender.Balance - amount });
        work.SetAccount(to, receiver with { Balance = receiver.Balance + amount });
    }

    private void WriteSlot(BlockWork work, Hash256 entropy, long contracts, ulong number, bool deletion)
    {
        long contract = (long)(entropy.Word(1) % (ulong)contracts);
        Hash256 addressHash = _keys.ContractAddress(contract).Hash();
        if (work.GetAccount(addressHash) is null) return;
        long initial = _keys.InitialSlotCount(contract);
        if (deletion)
        {
            if (initial == 0) return;
            Hash256 slotHash = DevnetKeys.SlotHash((long)(entropy.Word(2) % (ulong)initial));
            if (work.GetSlot(addressHash, slotHash).IsZero) return;
            work.SetSlot(addressHash, slotHash, UInt256.Zero);
            return;
        }
        // Mostly existing slots, sometimes one of the next eight (a new slot until written once).
        long slot = (long)(entropy.Word(2) % (ulong)(initial + 8));
        work.SetSlot(addressHash, DevnetKeys.SlotHash(slot), _keys.SlotValue(contract, slot, number));
    }

    // The accounts and slots one block touches, read through from the flat state.
    private sealed class BlockWork(IKeyValueReader state)
    {
        private readonly Dictionary<Hash256, Account?> _accounts = [];
        private readonly Dictionary<Hash256, SortedDictionary<Hash256, UInt256>> _slots = [];
        private readonly SortedDictionary<Hash256, byte[]> _code = [];
        private readonly HashSet<Hash256> _deleted = [];

        public bool IsDeleted(Hash256 addressHash) => _deleted.Contains(addressHash);

        public Account? GetAccount(Hash256 addressHash)
        {
            if (_accounts.TryGetValue(addressHash, out Account? account)) return account;
            Span<byte> key = stackalloc byte[Hash256.Length];
            addressHash.CopyTo(key);
            byte[]? encoded = state.Get(Schema.Accounts, key);
            account = encoded is null ? null : Account.Decode(encoded);
            _accounts[addressHash] = account;
            return account;
        }

        public void SetAccount(Hash256 addressHash, Account account)
        {
            if (_deleted.Contains(addressHash)) return;
            _accounts[addressHash] = account;
        }

        public void DeleteAccount(Hash256 addressHash)
        {
            if (GetAccount(addressHash) is null) return;
            _accounts[addressHash] = null;
            _deleted.Add(addressHash);
            _slots.Remove(addressHash);
        }

        public UInt256 GetSlot(Hash256 addressHash, Hash256 slotHash)
        {
            if (_slots.TryGetValue(addressHash, out SortedDictionary<Hash256, UInt256>? slots) && slots.TryGetValue(slotHash, out UInt256 value))
                return value;
            Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
            Schema.WriteStorageSlotKey(addressHash, slotHash, key);
            byte[]? encoded = state.Get(Schema.StorageSlots, key);
            return encoded is null ? UInt256.Zero : StorageSlot.DecodeValue(encoded);
        }

        public void SetSlot(Hash256 addressHash, Hash256 slotHash, UInt256 value)
        {
            if (_deleted.Contains(addressHash)) return;
            if (!_slots.TryGetValue(addressHash, out SortedDictionary<Hash256, UInt256>? slots))
            {
                slots = [];
                _slots[addressHash] = slots;
            }
            slots[slotHash] = value;
        }

        public void AddCode(byte[] code) => _code[Account.CodeHashOf(code)] = code;

        public StateDiff ToDiff()
        {
            var accounts = new List<AccountChange>(_accounts.Count);
            foreach ((Hash256 addressHash, Account? account) in _accounts)
            {
                if (_deleted.Contains(addressHash)) accounts.Add(AccountChange.Delete(addressHash));
                else if (account is { } value && IsChanged(addressHash, value))
                    accounts.Add(AccountChange.Update(addressHash, value.Nonce, value.Balance, value.CodeHash));
            }
            accounts.Sort(static (a, b) => a.AddressHash.CompareTo(b.AddressHash));
            var storage = new List<StorageChange>(_slots.Count);
            foreach ((Hash256 addressHash, SortedDictionary<Hash256, UInt256> slots) in _slots)
            {
                var changes = new List<SlotChange>(slots.Count);
                foreach ((Hash256 slotHash, UInt256 value) in slots) changes.Add(new SlotChange(slotHash, value));
                storage.Add(new StorageChange(addressHash, changes));
            }
            storage.Sort(static (a, b) => a.AddressHash.CompareTo(b.AddressHash));
            var code = new List<CodeEntry>(_code.Count);
            foreach ((Hash256 hash, byte[] bytes) in _code) code.Add(new CodeEntry(hash, bytes));
            return new StateDiff(accounts, storage, code);
        }

        // An account only read, or only given new storage, needs no account change (the applier updates its storage root).
        private bool IsChanged(Hash256 addressHash, Account value)
        {
            Span<byte> key = stackalloc byte[Hash256.Length];
            addressHash.CopyTo(key);
            byte[]? encoded = state.Get(Schema.Accounts, key);
            if (encoded is null) return true;
            Account stored = Account.Decode(encoded);
            return stored.Nonce != value.Nonce || stored.Balance != value.Balance || stored.CodeHash != value.CodeHash;
        }
    }
}
