using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class UnavailableTests
{
    [Fact]
    public void Keeps_an_unknown_reason_value()
    {
        Unavailable decoded = Unavailable.Decode(RlpBuild.List(RlpBuild.U(3), RlpBuild.U(99)));

        Assert.Equal(99UL, (ulong)decoded.Reason);
        Assert.Equal(3UL, decoded.RequestId);
    }

    [Fact]
    public void Rejects_the_reserved_request_id()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(0), RlpBuild.U(1));

        RlpBuild.Rejects(ViolationReason.ReservedRequestId, () => Unavailable.Decode(payload));
    }
}
