using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetStateDiffTests
{
    [Fact]
    public void Round_trips_the_block_hash_and_number()
    {
        var request = new GetStateDiff(77, new BlockRef(MessageSamples.H("b"), 123_456_789));

        GetStateDiff decoded = GetStateDiff.Decode(MessageVectorTests.Payload(request));

        Assert.Equal(request, decoded);
    }

    [Fact]
    public void Rejects_the_reserved_request_id()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(0), RlpBuild.List(RlpBuild.H(MessageSamples.H("b")), RlpBuild.U(5)));

        RlpBuild.Rejects(ViolationReason.ReservedRequestId, () => GetStateDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_block_hash_of_the_wrong_length()
    {
        byte[] payload = RlpBuild.List(RlpBuild.U(1), RlpBuild.List(RlpBuild.Str(new byte[31]), RlpBuild.U(5)));

        RlpBuild.Rejects(ViolationReason.WrongType, () => GetStateDiff.Decode(payload));
    }

    [Fact]
    public void Is_an_unknown_code_in_protocol_version_1()
    {
        byte[] request = MessageVectorTests.Payload(new GetStateDiff(1, new BlockRef(Hash256.Zero, 1)));
        byte[] response = MessageVectorTests.Payload(MessageVectorTests.Sample("state-diff"));

        RlpBuild.Rejects(ViolationReason.UnknownMessageCode, () => MessageDecoder.Decode((byte)MessageCode.GetStateDiff, request, agreedVersion: 1));
        RlpBuild.Rejects(ViolationReason.UnknownMessageCode, () => MessageDecoder.Decode((byte)MessageCode.StateDiff, response, agreedVersion: 1));
        Assert.IsType<GetStateDiff>(MessageDecoder.Decode((byte)MessageCode.GetStateDiff, request, agreedVersion: 2));
    }
}
