using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class ByteCodesTests
{
    [Fact]
    public void Accepts_a_push_with_request_id_zero()
    {
        var push = (ByteCodes)MessageVectorTests.Sample("byte-codes-push");

        ByteCodes decoded = ByteCodes.Decode(MessageVectorTests.Payload(push));

        Assert.Equal(0UL, decoded.RequestId);
        Assert.Equal(push.Codes.Single().ToArray(), decoded.Codes.Single().ToArray());
    }

    [Fact]
    public void Rejects_code_larger_than_the_limit()
    {
        byte[] payload = MessageVectorTests.Payload(new ByteCodes(1, [new byte[Limits.MaxCodeBytes + 1]]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => ByteCodes.Decode(payload));
    }
}
