using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetBlockHeadersTests
{
    private static byte[] WithOrigin(byte[] origin, ulong amount = 10, byte[]? reverse = null) =>
        RlpBuild.List(RlpBuild.U(1), origin, RlpBuild.U(amount), RlpBuild.U(0), reverse ?? RlpBuild.U(0));

    [Fact]
    public void Reads_a_32_byte_origin_as_a_hash_and_a_short_one_as_a_number()
    {
        GetBlockHeaders byHash = GetBlockHeaders.Decode(WithOrigin(RlpBuild.H(H("block"))));
        GetBlockHeaders byNumber = GetBlockHeaders.Decode(WithOrigin(RlpBuild.U(0x0102030405)));

        Assert.Equal(H("block"), byHash.OriginHash);
        Assert.Null(byNumber.OriginHash);
        Assert.Equal(0x0102030405UL, byNumber.OriginNumber);
    }

    [Fact]
    public void Rejects_an_origin_that_is_neither_hash_nor_number()
    {
        RlpBuild.Rejects(ViolationReason.WrongType, () => GetBlockHeaders.Decode(WithOrigin(RlpBuild.Str(new byte[9] { 1, 0, 0, 0, 0, 0, 0, 0, 0 }))));
    }

    [Fact]
    public void Rejects_an_origin_number_with_a_leading_zero()
    {
        RlpBuild.Rejects(ViolationReason.NonCanonical, () => GetBlockHeaders.Decode(WithOrigin(RlpBuild.Str([0, 5]))));
    }

    [Fact]
    public void Rejects_more_headers_than_the_limit()
    {
        RlpBuild.Rejects(ViolationReason.TooManyItems, () => GetBlockHeaders.Decode(WithOrigin(RlpBuild.U(5), Limits.MaxHeadersPerRequest + 1)));
    }

    [Fact]
    public void Rejects_a_reverse_flag_other_than_zero_or_one()
    {
        RlpBuild.Rejects(ViolationReason.WrongType, () => GetBlockHeaders.Decode(WithOrigin(RlpBuild.U(5), 1, RlpBuild.U(2))));
    }
}
