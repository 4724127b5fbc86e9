using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class GetStateDataTests
{
    private static byte[] WithChunk(byte[] chunkId) =>
        RlpBuild.List(RlpBuild.U(1), RlpBuild.H(H("epoch")), RlpBuild.H(H("root")), chunkId);

    [Fact]
    public void Round_trips_a_storage_chunk_request()
    {
        var request = new GetStateData(4, H("epoch"), H("root"), StorageChunk);

        GetStateData decoded = GetStateData.Decode(MessageVectorTests.Payload(request));

        Assert.Equal(request, decoded);
    }

    [Fact]
    public void Rejects_a_chunk_path_longer_than_its_depth_needs()
    {
        byte[] payload = WithChunk(RlpBuild.List(RlpBuild.Str([]), RlpBuild.U(2), RlpBuild.Str([0x5a, 0x00])));

        RlpBuild.Rejects(ViolationReason.InvalidChunkId, () => GetStateData.Decode(payload));
    }

    [Fact]
    public void Rejects_an_odd_chunk_path_with_a_set_pad_nibble()
    {
        byte[] payload = WithChunk(RlpBuild.List(RlpBuild.Str([]), RlpBuild.U(3), RlpBuild.Str([0x5a, 0x81])));

        RlpBuild.Rejects(ViolationReason.InvalidChunkId, () => GetStateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_chunk_deeper_than_a_key()
    {
        byte[] payload = WithChunk(RlpBuild.List(RlpBuild.Str([]), RlpBuild.U(65), RlpBuild.Str(new byte[33])));

        RlpBuild.Rejects(ViolationReason.InvalidChunkId, () => GetStateData.Decode(payload));
    }

    [Fact]
    public void Rejects_a_chunk_account_that_is_not_a_hash()
    {
        byte[] payload = WithChunk(RlpBuild.List(RlpBuild.Str(new byte[20]), RlpBuild.U(0), RlpBuild.Str([])));

        RlpBuild.Rejects(ViolationReason.InvalidChunkId, () => GetStateData.Decode(payload));
    }

    [Fact]
    public void Rejects_the_reserved_request_id()
    {
        byte[] payload = MessageVectorTests.Payload(new GetStateData(0, H("epoch"), H("root"), AccountChunk));

        RlpBuild.Rejects(ViolationReason.ReservedRequestId, () => GetStateData.Decode(payload));
    }
}
