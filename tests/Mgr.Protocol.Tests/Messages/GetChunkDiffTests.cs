using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetChunkDiffTests
{
    [Fact]
    public void Round_trips_a_storage_chunk_request()
    {
        var request = new GetChunkDiff(8, StorageChunk, H("e1"), H("r1"), H("e2"), H("r2"));

        Assert.Equal(request, GetChunkDiff.Decode(MessageVectorTests.Payload(request)));
    }

    [Fact]
    public void Rejects_a_root_of_the_wrong_length()
    {
        var request = new GetChunkDiff(8, StorageChunk, H("e1"), H("r1"), H("e2"), H("r2"));
        byte[] payload = StatusTests.ReplaceField(MessageVectorTests.Payload(request), 5, RlpBuild.Str(new byte[33]));

        RlpBuild.Rejects(ViolationReason.WrongType, () => GetChunkDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_the_reserved_request_id()
    {
        byte[] payload = MessageVectorTests.Payload(new GetChunkDiff(0, AccountChunk, H("e1"), H("r1"), H("e2"), H("r2")));

        RlpBuild.Rejects(ViolationReason.ReservedRequestId, () => GetChunkDiff.Decode(payload));
    }
}
