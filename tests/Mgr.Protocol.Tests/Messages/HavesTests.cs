using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class HavesTests
{
    [Fact]
    public void Round_trips_account_and_storage_additions()
    {
        var haves = (Haves)MessageVectorTests.Sample("haves");

        Haves decoded = Haves.Decode(MessageVectorTests.Payload(haves));

        Assert.Equal(haves.EpochHash, decoded.EpochHash);
        Assert.Equal(haves.Accounts, decoded.Accounts);
        Assert.Equal(haves.Storage.Single(), decoded.Storage.Single());
    }

    [Fact]
    public void Rejects_an_untrimmed_range_boundary()
    {
        byte[] ranges = RlpBuild.List(RlpBuild.List(RlpBuild.Str([0x12, 0x00]), RlpBuild.Str([0x13])));
        byte[] payload = RlpBuild.List(RlpBuild.H(H("epoch")), ranges, RlpBuild.List());

        RlpBuild.Rejects(ViolationReason.NonCanonical, () => Haves.Decode(payload));
    }

    [Fact]
    public void Rejects_an_epoch_hash_of_the_wrong_length()
    {
        byte[] payload = RlpBuild.List(RlpBuild.Str(new byte[31]), RlpBuild.List(), RlpBuild.List());

        RlpBuild.Rejects(ViolationReason.WrongType, () => Haves.Decode(payload));
    }
}
