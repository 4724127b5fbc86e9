using Mgr.Trie.Nibbles;

namespace Mgr.Trie.Tests.Nibbles;

public sealed class HexPrefixTests
{
    // Yellow Paper appendix C examples and their leaf-flag variants.
    [Theory]
    [InlineData("0x12345", false, "112345")]
    [InlineData("0x012345", false, "00012345")]
    [InlineData("0xf1cb8", true, "3f1cb8")]
    [InlineData("0x0f1cb8", true, "200f1cb8")]
    [InlineData("0x", true, "20")]
    [InlineData("0x", false, "00")]
    public void Encodes_and_decodes_the_reference_examples(string nibbles, bool isLeaf, string hex)
    {
        NibblePath path = NibblePath.Parse(nibbles);
        var encoded = new byte[HexPrefix.EncodedLength(path.Length)];

        HexPrefix.Encode(path.Span, isLeaf, encoded);

        Assert.Equal(hex, Convert.ToHexStringLower(encoded));
        Assert.True(HexPrefix.TryDecode(encoded, out NibblePath decoded, out bool decodedLeaf));
        Assert.Equal(path, decoded);
        Assert.Equal(isLeaf, decodedLeaf);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40")]
    [InlineData("01ab")]
    [InlineData("21")]
    public void Rejects_a_bad_flag_or_padding(string hex)
    {
        Assert.False(HexPrefix.TryDecode(Convert.FromHexString(hex), out _, out _));
    }
}
