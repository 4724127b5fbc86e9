using Mgr.Trie.Primitives;
using Mgr.Trie.State;

namespace Mgr.Trie.Tests.State;

public class AddressTests
{
    [Fact]
    public void Parses_mixed_case_hex_and_formats_it_as_lower_case()
    {
        Address address = Address.Parse("0x8888F1F195AFA192CFEE860698584C030F4C9DB1");

        Assert.Equal("0x8888f1f195afa192cfee860698584c030f4c9db1", address.ToString());
    }

    [Fact]
    public void Parses_hex_without_the_0x_prefix()
    {
        Assert.Equal(Address.Parse("0x71562b71999873db5b286df957af199ec94617f7"), Address.Parse("71562b71999873db5b286df957af199ec94617f7"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x8888f1f195afa192cfee860698584c030f4c9d")]
    [InlineData("0x8888f1f195afa192cfee860698584c030f4c9db100")]
    [InlineData("0x8888f1f195afa192cfee860698584c030f4c9dbz")]
    [InlineData("0x+888f1f195afa192cfee860698584c030f4c9db1")]
    public void Rejects_text_that_is_not_exactly_20_hex_bytes(string text)
    {
        Assert.False(Address.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Address.Parse(text));
    }

    [Fact]
    public void Round_trips_its_bytes()
    {
        byte[] bytes = Enumerable.Range(1, 20).Select(i => (byte)(i * 11)).ToArray();

        var address = new Address(bytes);

        Assert.Equal(bytes, address.ToArray());
    }

    [Fact]
    public void Its_trie_key_is_the_keccak_of_its_20_bytes()
    {
        Assert.Equal(Hash256.Parse("0x5380c7b7ae81a58eb98d9c78de4a1fd7fd9535fc953ed2be602daaa41767312a"), Address.Zero.Hash());
    }

    [Fact]
    public void Orders_by_bytes()
    {
        Address low = Address.Parse("0x00000000000000000000000000000000000000ff");
        Address high = Address.Parse("0x0000000000000000000000000000000000000100");

        Assert.True(low < high);
        Assert.Equal(-1, low.CompareTo(high));
    }
}
