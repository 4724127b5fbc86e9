using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class BlockHeadersTests
{
    [Fact]
    public void Keeps_each_header_encoding_verbatim()
    {
        byte[] header = RlpBuild.List(RlpBuild.U(1), RlpBuild.Str(new byte[40]));

        BlockHeaders decoded = BlockHeaders.Decode(MessageVectorTests.Payload(new BlockHeaders(4, [header])));

        Assert.Equal(header, decoded.Headers.Single().ToArray());
    }

    [Fact]
    public void Rejects_a_header_that_is_not_a_list()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(4), RlpBuild.List(RlpBuild.Str([1, 2])));

        RlpBuild.Rejects(ViolationReason.WrongType, () => BlockHeaders.Decode(payload));
    }

    [Fact]
    public void Rejects_more_headers_than_the_limit()
    {
        ReadOnlyMemory<byte>[] headers = [.. Enumerable.Range(0, Limits.MaxHeadersPerRequest + 1).Select(_ => (ReadOnlyMemory<byte>)new byte[] { 0xc0 })];
        byte[] payload = MessageVectorTests.Payload(new BlockHeaders(4, headers));

        RlpBuild.Rejects(ViolationReason.TooManyItems, () => BlockHeaders.Decode(payload));
    }
}
