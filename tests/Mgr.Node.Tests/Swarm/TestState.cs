using Mgr.Node.Storage;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.Tests.Swarm;

/// <summary>A small Ethereum-shaped state for swarm tests, built with the trie API: random account hashes, some
/// contracts with code and storage (inline and external), evolvable between epochs. Deterministic per seed.</summary>
internal sealed class TestState
{
    private readonly MemoryNodeStore _nodes = new();
    private readonly Dictionary<Hash256, byte[]> _codes = [];
    private readonly Random _random;
    private readonly List<Hash256> _accounts = [];
    private readonly Dictionary<Hash256, Hash256> _storageRoots = [];
    private readonly Dictionary<Hash256, Hash256> _codeHashes = [];

    public TestState(int seed, int accounts, IReadOnlyList<int> contractSlots)
    {
        _random = new Random(seed);
        var trie = new PatriciaTrie(_nodes);
        for (int i = 0; i < accounts; i++)
        {
            Hash256 key = RandomHash();
            _accounts.Add(key);
            Hash256 storageRoot = Hash256.EmptyTrieRoot, codeHash = Hash256.EmptyKeccak;
            if (i < contractSlots.Count)
            {
                storageRoot = BuildStorage(Hash256.EmptyTrieRoot, contractSlots[i]);
                byte[] code = new byte[100 + _random.Next(400)];
                _random.NextBytes(code);
                codeHash = Keccak256.Compute(code);
                _codes[codeHash] = code;
                _storageRoots[key] = storageRoot;
                _codeHashes[key] = codeHash;
            }
            trie.Set(key.ToArray(), Account((ulong)i, (ulong)_random.Next(1, int.MaxValue), storageRoot, codeHash));
        }
        Root = trie.Commit();
    }

    public Hash256 Root { get; private set; }

    public int AccountCount => _accounts.Count;

    /// <summary>Changes some balances, some contract slots, adds and deletes accounts; returns the new root.</summary>
    public Hash256 Evolve(int changedAccounts, int changedSlotsPerContract)
    {
        var trie = new PatriciaTrie(_nodes, Root);
        for (int i = 0; i < changedAccounts; i++)
        {
            Hash256 key = _accounts[_random.Next(_accounts.Count)];
            _storageRoots.TryGetValue(key, out Hash256 storageRoot);
            if (storageRoot == default) storageRoot = Hash256.EmptyTrieRoot;
            Hash256 codeHash = _codeHashes.GetValueOrDefault(key, Hash256.EmptyKeccak);
            trie.Set(key.ToArray(), Account(7, (ulong)_random.Next(1, int.MaxValue), storageRoot, codeHash));
        }
        foreach ((Hash256 contract, Hash256 oldRoot) in _storageRoots.ToList())
        {
            Hash256 newRoot = ChangeStorage(oldRoot, changedSlotsPerContract);
            _storageRoots[contract] = newRoot;
            trie.Set(contract.ToArray(), Account(9, 1000, newRoot, _codeHashes[contract]));
        }
        Hash256 added = RandomHash();
        _accounts.Add(added);
        trie.Set(added.ToArray(), Account(0, 5, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
        Hash256 removed = _accounts[_accounts.Count - 2 - _random.Next(_accounts.Count / 2)];
        if (!_storageRoots.ContainsKey(removed))
        {
            _accounts.Remove(removed);
            trie.Delete(removed.ToArray());
        }
        Root = trie.Commit();
        return Root;
    }

    /// <summary>Writes every trie node and code into <paramref name="store"/> (old roots stay readable).</summary>
    public void CopyTo(IKeyValueStore store)
    {
        using IWriteBatch batch = store.BeginBatch();
        foreach (Hash256 hash in _nodes.Hashes)
        {
            _nodes.TryGet(hash, out ReadOnlyMemory<byte> rlp);
            TrieNodeStore.Write(batch, hash, rlp.Span);
        }
        foreach ((Hash256 hash, byte[] code) in _codes) CodeStore.Write(batch, hash, code);
        batch.Commit();
    }

    private Hash256 BuildStorage(Hash256 root, int slots)
    {
        var storage = new PatriciaTrie(_nodes, root);
        for (int i = 0; i < slots; i++) storage.Set(RandomHash().ToArray(), SlotValue((ulong)_random.Next(1, int.MaxValue)));
        return storage.Commit();
    }

    private Hash256 ChangeStorage(Hash256 root, int changes)
    {
        var storage = new PatriciaTrie(_nodes, root);
        List<TrieEntry> existing = [.. storage.Enumerate().Take(changes * 4)];
        for (int i = 0; i < changes && i < existing.Count; i++) storage.Set(existing[i * 2 % existing.Count].Key, SlotValue((ulong)_random.Next(1, int.MaxValue)));
        storage.Set(RandomHash().ToArray(), SlotValue(42));
        return storage.Commit();
    }

    private Hash256 RandomHash()
    {
        Span<byte> bytes = stackalloc byte[32];
        _random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    internal static byte[] Account(ulong nonce, ulong balance, Hash256 storageRoot, Hash256 codeHash)
    {
        int content = Rlp.LengthOf(nonce) + Rlp.LengthOf(balance) + 33 + 33;
        byte[] output = new byte[Rlp.LengthOfList(content)];
        var writer = new RlpWriter(output);
        writer.WriteListHeader(content);
        writer.Write(nonce);
        writer.Write(balance);
        writer.Write(storageRoot);
        writer.Write(codeHash);
        return output;
    }

    private static byte[] SlotValue(ulong value)
    {
        byte[] output = new byte[Rlp.LengthOf(value)];
        var writer = new RlpWriter(output);
        writer.Write(value);
        return output;
    }
}
