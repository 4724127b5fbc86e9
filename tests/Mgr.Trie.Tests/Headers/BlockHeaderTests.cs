using Mgr.Trie.Crypto;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.Headers;

public class BlockHeaderTests
{
    // Header of go-ethereum's block-encoding test vector (bcValidBlockTest "SimpleTx"), hash stated by that test.
    private static readonly string FrontierHeaderHex =
        "f901f9a083cafc574e1f51ba9dc0568fc617a08ea2429fb384059c972f13b19fa1c8dd55a01dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347948888f1f195afa192cfee860698584c030f4c9db1a0ef1552a40b7165c3cd773806b9e0c165b75356e0314bf0706f279c729f51e017a05fe50b260da6308036625b850b5d6ced6d0a9f814c0688bc91ffb7b7a3a54b67a0bc37d79753ad738a6dac4921e57392f145d8887476de3f783dfa7edae9283e52b90100"
        + new string('0', 512)
        + "8302000001832fefd8825208845506eb0780a0bd4472abb6659ebe3ee06ee4d7b72a00a9f4d001caca51342001075469aff49888a13a5a8c8f2bb1c4";

    // The same block with a base fee of 1 gwei: go-ethereum's EIP-1559 block-encoding test vector.
    private static readonly string LondonHeaderHex =
        "f901fe" + FrontierHeaderHex[6..] + "843b9aca00";

    [Fact]
    public void Decodes_a_pre_London_header_to_its_known_fields_and_hash()
    {
        BlockHeader header = BlockHeader.Decode(Convert.FromHexString(FrontierHeaderHex));

        Assert.Equal(HeaderFork.PreLondon, header.Fork);
        Assert.Equal(new UInt256(131072), header.Difficulty);
        Assert.Equal(1UL, header.Number);
        Assert.Equal(3141592UL, header.GasLimit);
        Assert.Equal(21000UL, header.GasUsed);
        Assert.Equal(1426516743UL, header.Timestamp);
        Assert.Equal(0xa13a5a8c8f2bb1c4UL, header.Nonce);
        Assert.Equal(Address.Parse("0x8888f1f195afa192cfee860698584c030f4c9db1"), header.Coinbase);
        Assert.Equal(Hash256.Parse("0xef1552a40b7165c3cd773806b9e0c165b75356e0314bf0706f279c729f51e017"), header.StateRoot);
        Assert.Equal(Hash256.Parse("0x0a5843ac1cb04865017cb35a57b50b07084e5fcee39b5acadade33149f4fff9e"), header.Hash);
    }

    [Fact]
    public void Decodes_a_London_header_with_its_base_fee_and_known_hash()
    {
        BlockHeader header = BlockHeader.Decode(Convert.FromHexString(LondonHeaderHex));

        Assert.Equal(HeaderFork.London, header.Fork);
        Assert.Equal(new UInt256(1_000_000_000), header.BaseFeePerGas);
        Assert.Equal(Hash256.Parse("0xc7252048cd273fe0dac09650027d07f0e3da4ee0675ebbb26627cea92729c372"), header.Hash);
    }

    [Fact]
    public void Mainnet_genesis_fields_hash_to_the_mainnet_genesis_hash()
    {
        var header = new BlockHeader
        {
            ParentHash = Hash256.Zero,
            Coinbase = Address.Zero,
            StateRoot = Hash256.Parse("0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
            Difficulty = new UInt256(17_179_869_184),
            Number = 0,
            GasLimit = 5000,
            GasUsed = 0,
            Timestamp = 0,
            ExtraData = Convert.FromHexString("11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa"),
            MixHash = Hash256.Zero,
            Nonce = 0x42,
        };

        Assert.Equal(Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), header.Hash);
    }

    [Theory]
    [InlineData(HeaderFork.PreLondon)]
    [InlineData(HeaderFork.London)]
    [InlineData(HeaderFork.Shanghai)]
    [InlineData(HeaderFork.Cancun)]
    [InlineData(HeaderFork.Prague)]
    public void Random_headers_of_each_fork_round_trip_byte_for_byte(HeaderFork fork)
    {
        var random = new Random(1000 + (int)fork);
        for (int i = 0; i < 300; i++)
        {
            BlockHeader original = RandomHeaders.Create(random, fork);
            byte[] encoded = original.Encode();

            BlockHeader decoded = BlockHeader.Decode(encoded);

            Assert.Equal(fork, decoded.Fork);
            Assert.Equal(encoded.Length, original.EncodedLength);
            Assert.Equal(encoded, decoded.Encode());
            Assert.Equal(Keccak256.Compute(encoded), original.Hash);
            Assert.Equal(original.Hash, decoded.Hash);
            Assert.Equal(original.BaseFeePerGas, decoded.BaseFeePerGas);
            Assert.Equal(original.ExcessBlobGas, decoded.ExcessBlobGas);
            Assert.Equal(original.RequestsHash, decoded.RequestsHash);
            Assert.True(original.ExtraData.Span.SequenceEqual(decoded.ExtraData.Span));
        }
    }

    [Theory]
    [InlineData(14)]
    [InlineData(18)]
    [InlineData(19)]
    [InlineData(22)]
    [InlineData(0)]
    public void Rejects_a_list_with_a_field_count_no_fork_uses(int count)
    {
        byte[] encoded = ListOf(WithFieldCount(Prague(), count));

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(encoded));

        Assert.Equal(HeaderError.UnsupportedFieldCount, error.Reason);
    }

    [Fact]
    public void Rejects_a_gas_limit_with_a_leading_zero_byte_and_names_the_field()
    {
        List<byte[]> fields = Fields(Prague());
        fields[9] = [0x83, 0x00, 0x12, 0x34]; // gasLimit as 0x001234

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal(HeaderError.InvalidField, error.Reason);
        Assert.Equal("gasLimit", error.Field);
        Assert.Equal(RlpError.NonCanonicalInteger, error.RlpReason);
    }

    [Fact]
    public void Rejects_a_difficulty_wider_than_256_bits()
    {
        List<byte[]> fields = Fields(Prague());
        fields[7] = [0xa1, 0x01, .. new byte[32]];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal("difficulty", error.Field);
        Assert.Equal(RlpError.IntegerTooLarge, error.RlpReason);
    }

    [Fact]
    public void Rejects_a_timestamp_wider_than_64_bits()
    {
        List<byte[]> fields = Fields(Prague());
        fields[11] = [0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal("timestamp", error.Field);
        Assert.Equal(RlpError.IntegerTooLarge, error.RlpReason);
    }

    [Fact]
    public void Rejects_a_31_byte_state_root()
    {
        List<byte[]> fields = Fields(Prague());
        fields[3] = [0x9f, .. new byte[31]];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal("stateRoot", error.Field);
        Assert.Equal(RlpError.WrongLength, error.RlpReason);
    }

    [Fact]
    public void Rejects_a_nonce_that_is_not_eight_bytes()
    {
        List<byte[]> fields = Fields(Prague());
        fields[14] = [0x87, 1, 2, 3, 4, 5, 6, 7];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal("nonce", error.Field);
    }

    [Fact]
    public void Rejects_a_list_where_the_requests_hash_belongs()
    {
        List<byte[]> fields = Fields(Prague());
        fields[20] = [0xc0];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(ListOf(fields)));

        Assert.Equal("requestsHash", error.Field);
        Assert.Equal(RlpError.ExpectedString, error.RlpReason);
    }

    [Fact]
    public void Rejects_bytes_after_the_header_list()
    {
        byte[] encoded = [.. Prague().Encode(), 0x80];

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(encoded));

        Assert.Equal(HeaderError.NotAList, error.Reason);
        Assert.Equal(RlpError.TrailingBytes, error.RlpReason);
    }

    [Fact]
    public void Rejects_a_string_instead_of_a_list()
    {
        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode([0x83, 1, 2, 3]));

        Assert.Equal(HeaderError.NotAList, error.Reason);
    }

    [Fact]
    public void Rejects_a_truncated_header()
    {
        byte[] encoded = Prague().Encode();

        var error = Assert.Throws<HeaderDecodeException>(() => BlockHeader.Decode(encoded.AsSpan(0, encoded.Length - 1)));

        Assert.Equal(RlpError.Truncated, error.RlpReason);
    }

    [Fact]
    public void Accepts_extra_data_longer_than_32_bytes_as_Clique_headers_carry()
    {
        BlockHeader header = RandomHeaders.Create(new Random(5), HeaderFork.London);
        header = new BlockHeader
        {
            ParentHash = header.ParentHash, Coinbase = header.Coinbase, StateRoot = header.StateRoot,
            Difficulty = header.Difficulty, Number = header.Number, GasLimit = header.GasLimit, GasUsed = header.GasUsed,
            Timestamp = header.Timestamp, MixHash = header.MixHash, Nonce = header.Nonce, BaseFeePerGas = header.BaseFeePerGas,
            ExtraData = new byte[97],
        };

        BlockHeader decoded = BlockHeader.Decode(header.Encode());

        Assert.Equal(97, decoded.ExtraData.Length);
    }

    [Fact]
    public void A_header_with_blob_fields_but_no_withdrawals_root_is_refused()
    {
        BlockHeader cancun = RandomHeaders.Create(new Random(9), HeaderFork.Cancun);
        var broken = new BlockHeader
        {
            ParentHash = cancun.ParentHash, Coinbase = cancun.Coinbase, StateRoot = cancun.StateRoot,
            Difficulty = cancun.Difficulty, Number = cancun.Number, GasLimit = cancun.GasLimit, GasUsed = cancun.GasUsed,
            Timestamp = cancun.Timestamp, MixHash = cancun.MixHash, Nonce = cancun.Nonce, BaseFeePerGas = cancun.BaseFeePerGas,
            BlobGasUsed = cancun.BlobGasUsed, ExcessBlobGas = cancun.ExcessBlobGas, ParentBeaconBlockRoot = cancun.ParentBeaconBlockRoot,
        };

        Assert.Throws<InvalidOperationException>(() => broken.Encode());
    }

    private static BlockHeader Prague() => RandomHeaders.Create(new Random(42), HeaderFork.Prague);

    // The encoded items of a header's list.
    private static List<byte[]> Fields(BlockHeader header)
    {
        var outer = new RlpReader(header.Encode());
        RlpReader list = outer.ReadList();
        var fields = new List<byte[]>();
        while (!list.IsEnd) fields.Add(list.ReadEncodedItem().ToArray());
        return fields;
    }

    private static List<byte[]> WithFieldCount(BlockHeader header, int count)
    {
        List<byte[]> fields = Fields(header);
        while (fields.Count < count) fields.Add([0x80]);
        return fields.GetRange(0, count);
    }

    private static byte[] ListOf(List<byte[]> items)
    {
        int content = items.Sum(item => item.Length);
        var output = new byte[Mgr.Trie.Rlp.Rlp.LengthOfList(content)];
        var writer = new RlpWriter(output);
        writer.WriteListHeader(content);
        foreach (byte[] item in items) writer.WriteEncoded(item);
        return output;
    }
}
