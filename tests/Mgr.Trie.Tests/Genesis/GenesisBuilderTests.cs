using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Genesis;

public class GenesisBuilderTests
{
    // State roots and block hashes of the fixtures as @ethereumjs 10.1.3 computes them (genesisMPTStateRoot
    // over parseGethGenesisState, createBlockHeader over createCommonFromGethGenesis, plus the file's
    // blobGasUsed, which geth copies into the header and Common drops); the interop tests recompute them live.
    public static TheoryData<string, string, string> EthereumjsResults() => new()
    {
        { "frontier", "0x71594d9faa8c39cdb80ef39f07d31076fb1ccf6627756866b7d05cc57d3ddf56", "0x7cc1a3e6298671ea02867fd6b024f7e9fb9858a2ed9cb1c3daf62e832ed60616" },
        { "london", "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", "0x0a986992de900859105ff7b3bf50668e786128c819bf92791dc393ec02b9ade6" },
        { "shanghai", "0x7d8f9433aced7110580bd83d7a480aaab45b6d44ef2d28b885db8738cdaa9443", "0x763be576782c45e660ea2c19480a3e7d2807d1ec5251fdb6eea13683f265ee18" },
        { "cancun-blob-fields", "0xb458009671a53f78464bf8fea9eb6008a177ed18454865059300974d5e1b5b63", "0xe8e9789efa4a53b97222ff8a2002ce53b8d8ca39e872e9724c80796b0372345a" },
        { "prague-devnet", "0x9a8a81307b309c0ee7e792f947c6731400c71ac6958c025120d01085d5b7b8e8", "0x436bcd8014122ab95298fc4cf8803c144103b0154ac2b0bde036a5693a392ada" },
    };

    [Theory]
    [MemberData(nameof(EthereumjsResults))]
    public void Fixture_state_root_and_hash_match_what_ethereumjs_computes(string name, string stateRoot, string hash)
    {
        GenesisSpec spec = GenesisReader.Parse(GenesisFixtures.Read(name));

        BlockHeader header = GenesisBuilder.Build(spec);

        Assert.Equal(Hash256.Parse(stateRoot), header.StateRoot);
        Assert.Equal(Hash256.Parse(hash), header.Hash);
    }

    [Fact]
    public void Mainnet_genesis_header_fields_with_mainnets_state_root_hash_to_the_mainnet_genesis_hash()
    {
        // Mainnet's genesis.json minus its 8,893-account alloc: every header field but the state root.
        GenesisSpec spec = GenesisReader.Parse(GenesisFixtures.Read("frontier")) with { Alloc = new Dictionary<Address, GenesisAccount>() };
        BlockHeader built = GenesisBuilder.Build(spec);

        var mainnet = new BlockHeader
        {
            ParentHash = built.ParentHash, OmmersHash = built.OmmersHash, Coinbase = built.Coinbase,
            StateRoot = Hash256.Parse("0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
            TransactionsRoot = built.TransactionsRoot, ReceiptsRoot = built.ReceiptsRoot, LogsBloom = built.LogsBloom,
            Difficulty = built.Difficulty, Number = built.Number, GasLimit = built.GasLimit, GasUsed = built.GasUsed,
            Timestamp = built.Timestamp, ExtraData = built.ExtraData, MixHash = built.MixHash, Nonce = built.Nonce,
        };

        Assert.Equal(Hash256.EmptyTrieRoot, built.StateRoot);
        Assert.Equal(HeaderFork.PreLondon, built.Fork);
        Assert.Equal(Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), mainnet.Hash);
    }

    [Fact]
    public void A_pre_London_genesis_carries_the_15_original_fields()
    {
        BlockHeader header = GenesisBuilder.Build(GenesisReader.Parse(GenesisFixtures.Read("frontier")));

        Assert.Equal(HeaderFork.PreLondon, header.Fork);
        Assert.Equal(0x42UL, header.Nonce);
        Assert.Equal(new UInt256(0x400000000), header.Difficulty);
    }

    [Fact]
    public void London_at_block_zero_adds_the_default_one_gwei_base_fee()
    {
        BlockHeader header = GenesisBuilder.Build(GenesisReader.Parse(GenesisFixtures.Read("london")));

        Assert.Equal(HeaderFork.London, header.Fork);
        Assert.Equal(new UInt256(1_000_000_000), header.BaseFeePerGas);
        Assert.Equal(Hash256.EmptyTrieRoot, header.StateRoot);
    }

    [Fact]
    public void Shanghai_at_time_zero_adds_the_empty_withdrawals_root_but_a_later_Cancun_adds_nothing()
    {
        BlockHeader header = GenesisBuilder.Build(GenesisReader.Parse(GenesisFixtures.Read("shanghai")));

        Assert.Equal(HeaderFork.Shanghai, header.Fork);
        Assert.Equal(Hash256.EmptyTrieRoot, header.WithdrawalsRoot);
    }

    [Fact]
    public void Cancun_takes_the_files_blob_fields_and_a_zero_parent_beacon_root()
    {
        BlockHeader header = GenesisBuilder.Build(GenesisReader.Parse(GenesisFixtures.Read("cancun-blob-fields")));

        Assert.Equal(HeaderFork.Cancun, header.Fork);
        Assert.Equal(0x60000UL, header.ExcessBlobGas);
        Assert.Equal(0x20000UL, header.BlobGasUsed);
        Assert.Equal(Hash256.Zero, header.ParentBeaconBlockRoot);
        Assert.Equal(new UInt256(7), header.BaseFeePerGas);
    }

    [Fact]
    public void Prague_adds_the_sha256_of_nothing_as_requests_hash()
    {
        BlockHeader header = GenesisBuilder.Build(GenesisReader.Parse(GenesisFixtures.Read("prague-devnet")));

        Assert.Equal(HeaderFork.Prague, header.Fork);
        Assert.Equal(Hash256.Parse("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), header.RequestsHash);
        Assert.Equal(0UL, header.BlobGasUsed);
        Assert.Equal(0UL, header.ExcessBlobGas);
    }

    [Fact]
    public void A_London_fork_after_genesis_leaves_the_base_fee_out()
    {
        GenesisSpec spec = GenesisReader.Parse(GenesisFixtures.Read("london"));
        spec = spec with { Config = spec.Config with { ForkBlocks = new Dictionary<string, ulong> { ["londonBlock"] = 5 } } };

        BlockHeader header = GenesisBuilder.Build(spec);

        Assert.Null(header.BaseFeePerGas);
        Assert.Equal(HeaderFork.PreLondon, header.Fork);
    }

    [Fact]
    public void Zero_storage_words_are_absent_from_the_storage_trie()
    {
        var storage = new Dictionary<Hash256, UInt256> { [Hash256.Zero] = UInt256.Zero, [Hash256.MaxValue] = UInt256.Zero };

        Assert.Equal(Hash256.EmptyTrieRoot, GenesisBuilder.ComputeStorageRoot(storage));
    }

    [Fact]
    public void The_sink_receives_every_node_needed_to_read_the_state_back()
    {
        GenesisSpec spec = GenesisReader.Parse(GenesisFixtures.Read("prague-devnet"));
        var store = new MemoryNodeStore();

        Hash256 root = GenesisBuilder.ComputeStateRoot(spec.Alloc, store);

        var state = new PatriciaTrie(store, root);
        foreach ((Address address, GenesisAccount entry) in spec.Alloc)
        {
            Account account = Account.Decode(state.Get(address.Hash().ToArray()));
            Assert.Equal(entry.Balance, account.Balance);
            Assert.Equal(entry.Nonce, account.Nonce);
            Assert.Equal(Account.CodeHashOf(entry.Code.Span), account.CodeHash);
            var storage = new PatriciaTrie(store, account.StorageRoot);
            foreach ((Hash256 slot, UInt256 word) in entry.Storage)
            {
                Assert.Equal(word, StorageSlot.DecodeValue(storage.Get(StorageSlot.KeyOf(slot).ToArray())));
            }
        }
    }
}
