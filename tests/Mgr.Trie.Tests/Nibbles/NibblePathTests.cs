using Mgr.Trie.Nibbles;

namespace Mgr.Trie.Tests.Nibbles;

public sealed class NibblePathTests
{
    [Fact]
    public void Splits_bytes_high_nibble_first_and_joins_them_back()
    {
        NibblePath path = NibblePath.FromBytes([0xab, 0x0c]);

        Assert.Equal(new byte[] { 0xa, 0xb, 0x0, 0xc }, path.Span.ToArray());
        Assert.Equal(new byte[] { 0xab, 0x0c }, path.ToBytes());
        Assert.Equal("0xab0c", path.ToString());
    }

    [Fact]
    public void Orders_lexicographically_with_a_prefix_first()
    {
        Assert.True(NibblePath.Parse("0xab") < NibblePath.Parse("0xab0"));
        Assert.True(NibblePath.Parse("0xab0") < NibblePath.Parse("0xb"));
        Assert.Equal(NibblePath.Parse("0x"), NibblePath.Empty);
    }

    [Fact]
    public void Slices_appends_and_tests_prefixes()
    {
        NibblePath path = NibblePath.Parse("0x12345");

        Assert.Equal(NibblePath.Parse("0x234"), path.Slice(1, 3));
        Assert.Equal(NibblePath.Parse("0x123456"), path.Append(6));
        Assert.Equal(NibblePath.Parse("0x1234578"), path.Append(NibblePath.Parse("0x78")));
        Assert.True(path.StartsWith(NibblePath.Parse("0x123")));
        Assert.False(path.StartsWith(NibblePath.Parse("0x124")));
    }

    [Fact]
    public void Rejects_non_hex_text_and_nibbles_above_15()
    {
        Assert.False(NibblePath.TryParse("0x12g", out _));
        Assert.False(NibblePath.TryParse(null, out _));
        Assert.Throws<ArgumentException>(() => NibblePath.FromNibbles([16]));
        Assert.Throws<InvalidOperationException>(() => NibblePath.Parse("0x123").ToBytes());
    }
}
