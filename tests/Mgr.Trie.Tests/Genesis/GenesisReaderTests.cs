using System.Text;
using Mgr.Trie.Genesis;
using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.Genesis;

public class GenesisReaderTests
{
    private const string Minimal = """{"config":{"chainId":1},"gasLimit":"0x1388","difficulty":"0x0","alloc":{}}""";

    [Fact]
    public void Reads_every_field_of_a_devnet_genesis()
    {
        GenesisSpec spec = GenesisReader.Parse(GenesisFixtures.Read("prague-devnet"));

        Assert.Equal(1337UL, spec.Config.ChainId);
        Assert.Equal(0x2255100UL, spec.GasLimit);
        Assert.Equal("mgr"u8.ToArray(), spec.ExtraData.ToArray());
        Assert.Equal(0UL, spec.Config.ForkTimes["pragueTime"]);
        Assert.Equal(0UL, spec.Config.ForkBlocks["londonBlock"]);
        Assert.Equal(5, spec.Alloc.Count);
        GenesisAccount holder = spec.Alloc[Address.Parse("0x8a8eafb1cf62bfbeb1741769dae1a9dd47996192")];
        Assert.Equal(UInt256.Parse("1000000000000000000000000"), holder.Balance);
        Assert.Equal(3UL, holder.Nonce);
        GenesisAccount contract = spec.Alloc[Address.Parse("0x000f3df6d732807ef1319fb7b8bb8522d0beac02")];
        Assert.Equal(3, contract.Storage.Count);
        Assert.Equal(new UInt256(0xdeadbeef), contract.Storage[Hash256.Parse("0x0000000000000000000000000000000000000000000000000000000000000001")]);
        Assert.False(contract.Code.IsEmpty);
    }

    [Fact]
    public void Optional_fields_default_to_zero_and_empty()
    {
        GenesisSpec spec = Parse(Minimal);

        Assert.Equal(0UL, spec.Nonce);
        Assert.Equal(0UL, spec.Timestamp);
        Assert.True(spec.ExtraData.IsEmpty);
        Assert.Equal(Address.Zero, spec.Coinbase);
        Assert.Null(spec.BaseFeePerGas);
        Assert.Empty(spec.Alloc);
    }

    [Fact]
    public void Accepts_numbers_as_json_numbers_decimal_strings_and_hex_strings()
    {
        GenesisSpec spec = Parse("""{"config":{"chainId":"0x10","londonBlock":"7"},"gasLimit":5000,"difficulty":"131072","timestamp":"0x0a","alloc":{}}""");

        Assert.Equal(16UL, spec.Config.ChainId);
        Assert.Equal(7UL, spec.Config.ForkBlocks["londonBlock"]);
        Assert.Equal(5000UL, spec.GasLimit);
        Assert.Equal(new UInt256(131072), spec.Difficulty);
        Assert.Equal(10UL, spec.Timestamp);
    }

    [Theory]
    [InlineData("""{"config":{"chainId":1},"difficulty":"0x0","alloc":{}}""", "$.gasLimit")]
    [InlineData("""{"config":{"chainId":1},"gasLimit":"0x1","alloc":{}}""", "$.difficulty")]
    [InlineData("""{"config":{"chainId":1},"gasLimit":"0x1","difficulty":"0x0"}""", "$.alloc")]
    [InlineData("""{"gasLimit":"0x1","difficulty":"0x0","alloc":{}}""", "$.config")]
    [InlineData("""{"config":{},"gasLimit":"0x1","difficulty":"0x0","alloc":{}}""", "$.config.chainId")]
    public void Names_a_missing_required_field(string json, string path)
    {
        var error = Assert.Throws<GenesisException>(() => Parse(json));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains("missing", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"gasLimit\":\"0x10000000000000000\"", "$.gasLimit")]
    [InlineData("\"gasLimit\":\"-1\"", "$.gasLimit")]
    [InlineData("\"gasLimit\":1.5", "$.gasLimit")]
    [InlineData("\"gasLimit\":true", "$.gasLimit")]
    [InlineData("\"extraData\":\"0x123\"", "$.extraData")]
    [InlineData("\"extraData\":\"0xzz\"", "$.extraData")]
    [InlineData("\"mixHash\":\"0x" + "00000000000000000000000000000000000000000000000000000000000000000000" + "\"", "$.mixHash")]
    [InlineData("\"coinbase\":\"0x1234\"", "$.coinbase")]
    [InlineData("\"config\":{\"chainId\":1,\"cancunTime\":\"soon\"}", "$.config.cancunTime")]
    [InlineData("\"alloc\":[]", "$.alloc")]
    public void Names_a_malformed_field(string replacement, string path)
    {
        var error = Assert.Throws<GenesisException>(() => Parse(Override(replacement)));

        Assert.Equal(path, error.JsonPath);
    }

    [Fact]
    public void Names_the_account_whose_balance_is_not_a_number()
    {
        var error = Assert.Throws<GenesisException>(() => Parse(WithAlloc("""{"0x71562b71999873db5b286df957af199ec94617f7":{"balance":"lots"}}""")));

        Assert.Equal("$.alloc[\"0x71562b71999873db5b286df957af199ec94617f7\"].balance", error.JsonPath);
    }

    [Fact]
    public void Rejects_an_alloc_key_that_is_not_an_address()
    {
        var error = Assert.Throws<GenesisException>(() => Parse(WithAlloc("""{"0x7156":{"balance":"1"}}""")));

        Assert.Equal("$.alloc[\"0x7156\"]", error.JsonPath);
    }

    [Fact]
    public void Rejects_the_same_address_written_twice_in_different_case()
    {
        var error = Assert.Throws<GenesisException>(() => Parse(WithAlloc(
            """{"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":{"balance":"1"},"0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA":{"balance":"2"}}""")));

        Assert.Contains("twice", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_storage_slot_shorter_than_32_bytes()
    {
        var error = Assert.Throws<GenesisException>(() => Parse(WithAlloc(
            """{"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":{"balance":"1","storage":{"0x01":"0x02"}}}""")));

        Assert.Equal("$.alloc[\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"].storage[\"0x01\"]", error.JsonPath);
    }

    [Fact]
    public void Rejects_a_storage_word_longer_than_32_bytes()
    {
        string slot = "0x" + new string('0', 64);
        var error = Assert.Throws<GenesisException>(() => Parse(WithAlloc(
            "{\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":{\"balance\":\"1\",\"storage\":{\"" + slot + "\":\"0x01" + new string('0', 64) + "\"}}}")));

        Assert.Contains("longer than 32", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_text_that_is_not_json()
    {
        var error = Assert.Throws<GenesisException>(() => Parse("{\"config\":"));

        Assert.Equal("$", error.JsonPath);
        Assert.Contains("not valid JSON", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_top_level_array()
    {
        Assert.Equal("$", Assert.Throws<GenesisException>(() => Parse("[]")).JsonPath);
    }

    private static GenesisSpec Parse(string json) => GenesisReader.Parse(Encoding.UTF8.GetBytes(json));

    private static string WithAlloc(string alloc) => Minimal.Replace("\"alloc\":{}", "\"alloc\":" + alloc, StringComparison.Ordinal);

    // Minimal with one top-level property replaced (or added).
    private static string Override(string property)
    {
        string name = property[..(property.IndexOf(':', StringComparison.Ordinal) + 1)];
        var fields = new Dictionary<string, string>
        {
            ["\"config\":"] = "\"config\":{\"chainId\":1}",
            ["\"gasLimit\":"] = "\"gasLimit\":\"0x1388\"",
            ["\"difficulty\":"] = "\"difficulty\":\"0x0\"",
            ["\"alloc\":"] = "\"alloc\":{}",
        };
        fields[name] = property;
        return "{" + string.Join(",", fields.Values) + "}";
    }
}
