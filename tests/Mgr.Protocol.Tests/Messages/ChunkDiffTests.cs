using Mgr.Protocol.Messages;
using static Mgr.Protocol.Tests.Messages.MessageSamples;

namespace Mgr.Protocol.Tests.Messages;

public sealed class ChunkDiffTests
{
    private static ChunkDiff Sample() => (ChunkDiff)MessageVectorTests.Sample("chunk-diff-accounts");

    private static byte[] Encode(IMessage message) => MessageVectorTests.Payload(message);

    [Fact]
    public void Round_trips_a_deletion_as_an_empty_value()
    {
        ChunkDiff decoded = ChunkDiff.Decode(Encode(Sample()));

        Assert.True(decoded.Accounts[1].Value.IsEmpty);
        Assert.False(decoded.Accounts[0].Value.IsEmpty);
    }

    [Fact]
    public void Round_trips_a_slot_deletion()
    {
        var diff = (ChunkDiff)MessageVectorTests.Sample("chunk-diff-storage");

        ChunkDiff decoded = ChunkDiff.Decode(Encode(diff));

        Assert.True(decoded.Slots[1].Value.IsEmpty);
        Assert.Equal(diff.Chunk, decoded.Chunk);
    }

    [Fact]
    public void Rejects_a_deleted_account_that_carries_storage()
    {
        AccountEntry[] accounts = Accounts();
        var deleted = new AccountEntry(accounts[1].AccountHash, ReadOnlyMemory<byte>.Empty, accounts[1].Storage);
        byte[] payload = Encode(Sample() with { Accounts = [deleted] });

        RlpBuild.Rejects(ViolationReason.ValueOutOfRange, () => ChunkDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_changes_out_of_key_order()
    {
        ChunkDiff diff = Sample();
        byte[] payload = Encode(diff with { Accounts = [diff.Accounts[1], diff.Accounts[0]] });

        RlpBuild.Rejects(ViolationReason.UnsortedKeys, () => ChunkDiff.Decode(payload));
    }

    [Fact]
    public void Rejects_a_storage_change_outside_the_storage_chunk()
    {
        var diff = (ChunkDiff)MessageVectorTests.Sample("chunk-diff-storage");
        SlotEntry outside = new(Mgr.Trie.Primitives.Hash256.MaxValue, SlotValue(1));
        byte[] payload = Encode(diff with { Slots = [diff.Slots[0], outside] });

        RlpBuild.Rejects(ViolationReason.KeyOutsideChunk, () => ChunkDiff.Decode(payload));
    }
}
