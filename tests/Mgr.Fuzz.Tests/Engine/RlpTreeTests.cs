using Mgr.Fuzz.Engine;

namespace Mgr.Fuzz.Tests.Engine;

public sealed class RlpTreeTests
{
    [Theory]
    [InlineData("c0")]
    [InlineData("83646f67")]
    [InlineData("c88363617483646f67")]
    [InlineData("c7c0c1c0c3c0c1c0")]
    public void Parses_and_re_encodes_canonical_rlp_unchanged(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex);

        byte[] again = RlpTree.TryParse(bytes)!.Encode();

        Assert.Equal(bytes, again);
    }

    [Fact]
    public void A_long_header_flag_produces_the_non_canonical_long_form()
    {
        RlpTree tree = RlpTree.String([0x01, 0x02]);
        tree.LongHeader = true;

        Assert.Equal(Convert.FromHexString("b8020102"), tree.Encode());
    }

    [Fact]
    public void Rejects_bytes_that_are_not_one_rlp_item()
    {
        Assert.Null(RlpTree.TryParse(Convert.FromHexString("c3")));
        Assert.Null(RlpTree.TryParse(Convert.FromHexString("8080")));
    }
}
