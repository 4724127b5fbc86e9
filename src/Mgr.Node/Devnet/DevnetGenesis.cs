using System.Text.Json;
using Mgr.Node.Storage;
using Mgr.Node.Storage.Etl;
using Mgr.Trie.Building;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Storage;

namespace Mgr.Node.Devnet;

/// <summary>Creates a devnet's genesis in one streamed pass over its accounts: writes the geth-style
/// <c>genesis.json</c> (post-merge, London/Shanghai/Cancun at 0) and imports the genesis state into an empty store
/// through the sorted bulk import, computing the state root with the stack builder.</summary>
/// <remarks>
/// <para>Memory is bounded independently of the account count: accounts, flat slots and trie nodes go through
/// <see cref="EtlCollector"/>s (each limited to the given buffer size) and the state root is built while the sorted
/// accounts stream into the store. Only one contract's slots are held at a time (the largest has
/// <see cref="DevnetParameters.MaxSlots"/>).</para>
/// <para>The store must be empty in the state columns. The header follows geth's genesis rules for these forks
/// (1 gwei base fee, empty withdrawals root, zero blob gas and parent beacon block root), so
/// <see cref="Mgr.Trie.Genesis.GenesisBuilder"/> on the written file gives the same header.</para>
/// </remarks>
public static class DevnetGenesis
{
    /// <summary>Base fee of the genesis block (1 gwei, geth's default).</summary>
    public static readonly UInt256 GenesisBaseFee = new(1_000_000_000);

    /// <summary>extraData of every devnet block.</summary>
    public static ReadOnlyMemory<byte> ExtraData { get; } = "mgr devnet"u8.ToArray();

    /// <summary>Writes the genesis (to <paramref name="genesisJson"/> when given) and imports its state into
    /// <paramref name="store"/>, with the genesis header and canonical entry; returns the header.</summary>
    public static BlockHeader Create(DevnetParameters parameters, IKeyValueStore store, string temporaryDirectory, Stream? genesisJson,
        long etlBufferBytes = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(store);
        parameters.Validate();
        var keys = new DevnetKeys(parameters);
        Utf8JsonWriter? json = genesisJson is null ? null : new Utf8JsonWriter(genesisJson, new JsonWriterOptions { Indented = false });
        using var accounts = new EtlCollector(temporaryDirectory, etlBufferBytes);
        using var slots = new EtlCollector(temporaryDirectory, etlBufferBytes);
        using var nodes = new EtlCollector(temporaryDirectory, etlBufferBytes);
        var nodeSink = new CollectorSink(nodes);
        try
        {
            if (json is not null) WriteHeaderFields(json, parameters);
            Span<byte> encoded = stackalloc byte[Account.MaxEncodedLength];
            for (long i = 0; i < parameters.Accounts; i++)
            {
                Address address = keys.EoaAddress(i);
                var account = new Account(0, keys.InitialBalance(i), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);
                AddAccount(accounts, address, account, encoded);
                if (json is not null)
                {
                    json.WriteStartObject(address.ToString());
                    json.WriteString("balance"u8, account.Balance.ToHexString());
                    json.WriteEndObject();
                    if ((i & 1023) == 1023) json.Flush();
                }
            }
            using (IWriteBatch codeBatch = store.BeginBatch())
            {
                var storageBuilder = new StackTrieBuilder(nodeSink);
                for (long j = 0; j < parameters.Contracts; j++)
                {
                    Address address = keys.ContractAddress(j);
                    byte[] code = keys.Code(j);
                    Hash256 codeHash = Account.CodeHashOf(code);
                    CodeStore.Write(codeBatch, codeHash, code);
                    Hash256 storageRoot = BuildStorage(keys, j, address.Hash(), slots, storageBuilder, json);
                    AddAccount(accounts, address, new Account(1, UInt256.Zero, storageRoot, codeHash), encoded);
                    if (json is not null)
                    {
                        json.WriteString("code"u8, "0x" + Convert.ToHexStringLower(code));
                        json.WriteNumber("nonce"u8, 1);
                        json.WriteString("balance"u8, "0x0");
                        json.WriteEndObject();
                        json.Flush();
                    }
                }
                codeBatch.Commit();
            }
            if (json is not null)
            {
                json.WriteEndObject();
                json.WriteEndObject();
                json.Flush();
            }

            var stateBuilder = new StackTrieBuilder(nodeSink);
            using (ISortedLoad accountLoad = store.BeginSortedLoad(Schema.Accounts))
            {
                accounts.MergeInto(new RootingLoad(accountLoad, stateBuilder));
            }
            Hash256 stateRoot = stateBuilder.Finish();
            slots.ImportInto(store, Schema.StorageSlots);
            nodes.ImportInto(store, Schema.TrieNodes);

            BlockHeader header = BuildHeader(parameters, stateRoot);
            using (IWriteBatch batch = store.BeginBatch())
            {
                HeaderStore.Write(batch, 0, header.Hash, header.Encode());
                HeaderStore.WriteCanonical(batch, 0, header.Hash);
                batch.Commit();
            }
            return header;
        }
        finally
        {
            json?.Dispose();
        }
    }

    /// <summary>The genesis header of <paramref name="parameters"/> with state root <paramref name="stateRoot"/>.</summary>
    public static BlockHeader BuildHeader(DevnetParameters parameters, Hash256 stateRoot)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new BlockHeader
        {
            ParentHash = Hash256.Zero,
            Coinbase = Address.Zero,
            StateRoot = stateRoot,
            Difficulty = UInt256.Zero,
            Number = 0,
            GasLimit = parameters.GasLimit,
            GasUsed = 0,
            Timestamp = parameters.GenesisTimestamp,
            ExtraData = ExtraData,
            MixHash = Hash256.Zero,
            Nonce = 0,
            BaseFeePerGas = GenesisBaseFee,
            WithdrawalsRoot = Hash256.EmptyTrieRoot,
            BlobGasUsed = 0,
            ExcessBlobGas = 0,
            ParentBeaconBlockRoot = Hash256.Zero,
        };
    }

    private static void AddAccount(EtlCollector accounts, Address address, Account account, Span<byte> encoded)
    {
        Span<byte> key = stackalloc byte[Hash256.Length];
        address.Hash().CopyTo(key);
        int length = account.WriteTo(encoded);
        accounts.Add(key, encoded[..length]);
    }

    // Slots of one contract: sorted by hashed slot for the stack builder, flat entries to the ETL, JSON as it goes.
    private static Hash256 BuildStorage(DevnetKeys keys, long contract, Hash256 addressHash, EtlCollector slots, StackTrieBuilder builder, Utf8JsonWriter? json)
    {
        long count = keys.InitialSlotCount(contract);
        var entries = new (Hash256 SlotHash, UInt256 Value)[count];
        if (json is not null)
        {
            json.WriteStartObject(keys.ContractAddress(contract).ToString());
            json.WriteStartObject("storage"u8);
        }
        Span<byte> word = stackalloc byte[Hash256.Length];
        for (long i = 0; i < count; i++)
        {
            UInt256 value = keys.SlotValue(contract, i, 0);
            entries[i] = (DevnetKeys.SlotHash(i), value);
            if (json is not null)
            {
                value.CopyTo(word);
                json.WriteString(DevnetKeys.SlotKey(i).ToString(), "0x" + Convert.ToHexStringLower(word));
                if ((i & 1023) == 1023) json.Flush();
            }
        }
        if (json is not null) json.WriteEndObject();
        Array.Sort(entries, static (a, b) => a.SlotHash.CompareTo(b.SlotHash));
        Span<byte> key = stackalloc byte[Schema.StorageSlotKeyLength];
        Span<byte> encoded = stackalloc byte[StorageSlot.MaxEncodedValueLength];
        addressHash.CopyTo(key);
        foreach ((Hash256 slotHash, UInt256 value) in entries)
        {
            int length = StorageSlot.EncodeValue(value, encoded);
            builder.Add(slotHash, encoded[..length]);
            slotHash.CopyTo(key[Hash256.Length..]);
            slots.Add(key, encoded[..length]);
        }
        return builder.Finish();
    }

    private static void WriteHeaderFields(Utf8JsonWriter json, DevnetParameters parameters)
    {
        json.WriteStartObject();
        json.WriteStartObject("config"u8);
        json.WriteNumber("chainId"u8, parameters.ChainId);
        foreach (string fork in (ReadOnlySpan<string>)["homesteadBlock", "eip150Block", "eip155Block", "eip158Block", "byzantiumBlock",
                     "constantinopleBlock", "petersburgBlock", "istanbulBlock", "berlinBlock", "londonBlock", "mergeNetsplitBlock"])
        {
            json.WriteNumber(fork, 0);
        }
        json.WriteNumber("shanghaiTime"u8, 0);
        json.WriteNumber("cancunTime"u8, 0);
        json.WriteNumber("terminalTotalDifficulty"u8, 0);
        json.WriteBoolean("terminalTotalDifficultyPassed"u8, true);
        json.WriteEndObject();
        json.WriteString("nonce"u8, "0x0");
        json.WriteString("timestamp"u8, "0x" + parameters.GenesisTimestamp.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("extraData"u8, "0x" + Convert.ToHexStringLower(ExtraData.Span));
        json.WriteString("gasLimit"u8, "0x" + parameters.GasLimit.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("difficulty"u8, "0x0");
        json.WriteString("mixHash"u8, Hash256.Zero.ToString());
        json.WriteString("coinbase"u8, Address.Zero.ToString());
        json.WriteString("number"u8, "0x0");
        json.WriteString("gasUsed"u8, "0x0");
        json.WriteString("parentHash"u8, Hash256.Zero.ToString());
        json.WriteString("baseFeePerGas"u8, GenesisBaseFee.ToHexString());
        json.WriteString("excessBlobGas"u8, "0x0");
        json.WriteString("blobGasUsed"u8, "0x0");
        json.WriteStartObject("alloc"u8);
    }

    // Trie nodes to an ETL collector (hash-keyed; duplicates collapse).
    private sealed class CollectorSink(EtlCollector nodes) : INodeSink
    {
        public void Put(Hash256 hash, ReadOnlySpan<byte> rlp)
        {
            Span<byte> key = stackalloc byte[Hash256.Length];
            hash.CopyTo(key);
            nodes.Add(key, rlp);
        }
    }

    // Passes sorted accounts to the store and to the state-root builder at the same time.
    private sealed class RootingLoad(ISortedLoad inner, StackTrieBuilder builder) : ISortedLoad
    {
        public long Count => inner.Count;

        public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            inner.Add(key, value);
            builder.Add(key, value);
        }

        public void Complete() => inner.Complete();

        public void Dispose() { }
    }
}
