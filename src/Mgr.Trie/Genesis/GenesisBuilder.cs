using System.Buffers.Binary;
using Mgr.Trie.Building;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Genesis;

/// <summary>Builds the genesis block of a <see cref="GenesisSpec"/>: the state root of its allocation and
/// the genesis header, with the fork fields geth puts in it.</summary>
/// <remarks>
/// <para>State: every alloc entry becomes an account (even an all-zero one) under Keccak(address); its
/// storage trie holds the non-zero words under Keccak(slot); its code hash is Keccak(code).</para>
/// <para>Header, following geth's <c>Genesis.ToBlock</c>: empty ommers, transactions and receipts; London
/// active at the genesis number adds baseFeePerGas (the file's, else 1 gwei); Shanghai active at the genesis
/// time adds the empty withdrawals root; Cancun adds blobGasUsed and excessBlobGas (the file's, else 0) and a
/// zero parentBeaconBlockRoot; Prague adds the empty requests hash (SHA-256 of nothing).</para>
/// <para>Trie nodes referenced by hash go to the optional <see cref="INodeSink"/>, so a caller can persist the
/// genesis state. Stateless and thread-safe. From a <see cref="GenesisSpec"/>, memory grows with the allocation (leaves
/// are sorted in memory); from a stream with an external sorter, it is bounded by one account and the sorter.</para>
/// </remarks>
public static class GenesisBuilder
{
    /// <summary>Base fee of the first London block when the file does not set one (EIP-1559).</summary>
    public static readonly UInt256 InitialBaseFee = new(1_000_000_000);

    /// <summary>The genesis header; its <see cref="BlockHeader.StateRoot"/> is the allocation's state root.</summary>
    public static BlockHeader Build(GenesisSpec spec, INodeSink? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return BuildHeader(spec, ComputeStateRoot(spec.Alloc, nodes));
    }

    /// <summary>Reads a genesis file from <paramref name="utf8Json"/> and builds its block in memory bounded whatever the
    /// number of accounts: each account is encoded as it is read (its storage trie built in memory, so one account's
    /// storage is held at a time) and goes through <paramref name="sorter"/>, which hands them back in hashed-key order to
    /// the stack trie builder. Gives the same header as <see cref="Build(GenesisSpec, INodeSink?)"/> on the parsed file.</summary>
    /// <exception cref="GenesisException">When the file is malformed, a field is missing or invalid, or an address repeats.</exception>
    public static GenesisBlock Build(Stream utf8Json, IExternalSorter sorter)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(sorter);
        // Key: Keccak(address) then the account's position in the file, so a repeated address is two adjacent entries
        // the sorter cannot merge. Value: the address (to name a repeat) then the account's RLP.
        var key = new byte[Hash256.Length + sizeof(long)];
        var value = new byte[Address.Length + Account.MaxEncodedLength];
        long position = 0;
        GenesisSpec spec = GenesisReader.Read(utf8Json, (_, address, entry) =>
        {
            address.Hash().CopyTo(key);
            BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(Hash256.Length), position++);
            address.CopyTo(value);
            int length = AccountOf(entry).WriteTo(value.AsSpan(Address.Length));
            sorter.Add(key, value.AsSpan(0, Address.Length + length));
        });

        var builder = new StackTrieBuilder();
        var previous = new byte[Hash256.Length];
        bool first = true;
        sorter.Drain((sortedKey, sortedValue) =>
        {
            ReadOnlySpan<byte> hash = sortedKey[..Hash256.Length];
            if (!first && hash.SequenceEqual(previous))
                throw new GenesisException(GenesisReader.AccountPath(new Address(sortedValue[..Address.Length]).ToString()), "address appears twice");
            first = false;
            hash.CopyTo(previous);
            builder.Add(hash, sortedValue[Address.Length..]);
        });
        return new GenesisBlock(spec.Config, BuildHeader(spec, builder.Finish()));
    }

    private static BlockHeader BuildHeader(GenesisSpec spec, Hash256 stateRoot)
    {
        ChainConfig config = spec.Config;
        bool london = config.IsLondon(spec.Number);
        bool shanghai = config.IsShanghai(spec.Number, spec.Timestamp);
        bool cancun = config.IsCancun(spec.Number, spec.Timestamp);
        bool prague = config.IsPrague(spec.Number, spec.Timestamp);
        return new BlockHeader
        {
            ParentHash = spec.ParentHash,
            Coinbase = spec.Coinbase,
            StateRoot = stateRoot,
            Difficulty = spec.Difficulty,
            Number = spec.Number,
            GasLimit = spec.GasLimit,
            GasUsed = spec.GasUsed,
            Timestamp = spec.Timestamp,
            ExtraData = spec.ExtraData,
            MixHash = spec.MixHash,
            Nonce = spec.Nonce,
            BaseFeePerGas = london ? spec.BaseFeePerGas ?? InitialBaseFee : null,
            WithdrawalsRoot = shanghai ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = cancun ? spec.BlobGasUsed ?? 0 : null,
            ExcessBlobGas = cancun ? spec.ExcessBlobGas ?? 0 : null,
            ParentBeaconBlockRoot = cancun ? Hash256.Zero : null,
            RequestsHash = prague ? BlockHeader.EmptyRequestsHash : null,
        };
    }

    /// <summary>The root of the secure state trie holding <paramref name="alloc"/>.</summary>
    public static Hash256 ComputeStateRoot(IReadOnlyDictionary<Address, GenesisAccount> alloc, INodeSink? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(alloc);
        var leaves = new List<TrieLeaf>(alloc.Count);
        foreach ((Address address, GenesisAccount entry) in alloc)
        {
            leaves.Add(new TrieLeaf(address.Hash(), AccountOf(entry, nodes).Encode()));
        }
        return TrieRoots.Compute(leaves, nodes);
    }

    /// <summary>The state-trie account of an alloc entry (its storage trie's nodes go to <paramref name="nodes"/>).</summary>
    public static Account AccountOf(GenesisAccount entry, INodeSink? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new Account(entry.Nonce, entry.Balance, ComputeStorageRoot(entry.Storage, nodes), Account.CodeHashOf(entry.Code.Span));
    }

    /// <summary>The root of the storage trie holding the non-zero words of <paramref name="storage"/>.</summary>
    public static Hash256 ComputeStorageRoot(IReadOnlyDictionary<Hash256, UInt256> storage, INodeSink? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var leaves = new List<TrieLeaf>(storage.Count);
        Span<byte> value = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        foreach ((Hash256 slot, UInt256 word) in storage)
        {
            int length = StorageSlot.EncodeValue(word, value);
            if (length > 0) leaves.Add(new TrieLeaf(StorageSlot.KeyOf(slot), value[..length].ToArray()));
        }
        return TrieRoots.Compute(leaves, nodes);
    }
}
