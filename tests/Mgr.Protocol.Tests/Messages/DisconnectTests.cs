using Mgr.Protocol.Messages;

namespace Mgr.Protocol.Tests.Messages;

public sealed class DisconnectTests
{
    [Fact]
    public void Keeps_an_unknown_reason_value_so_it_re_encodes_unchanged()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(200));

        Disconnect decoded = Disconnect.Decode(payload);

        Assert.Equal(200UL, (ulong)decoded.Reason);
        Assert.Equal(payload, MessageVectorTests.Payload(decoded));
    }

    [Fact]
    public void Rejects_a_reason_wider_than_64_bits()
    {
        byte[] payload = RlpBuild.List(RlpBuild.Str([1, 2, 3, 4, 5, 6, 7, 8, 9]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => Disconnect.Decode(payload));
    }

    [Fact]
    public void Maps_fatal_violations_to_a_protocol_breach()
    {
        Assert.Equal(DisconnectReason.ProtocolBreach, PenaltyTable.DisconnectFor(ViolationReason.FrameTooLarge));
        Assert.Null(PenaltyTable.DisconnectFor(ViolationReason.InvalidProof));
        Assert.Equal(Penalty.Serious, PenaltyTable.For(ViolationReason.InvalidChunkDiff));
        Assert.Equal(Penalty.Minor, PenaltyTable.For(ViolationReason.UnsolicitedResponse));
    }
}
