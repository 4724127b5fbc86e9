using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.Epochs;

public sealed class EpochTests
{
    private static readonly Hash256 Boundary = Hash256.Parse("0x7e10000000000000000000000000000000000000000000000000000000000009");

    [Fact]
    public void The_start_key_is_the_boundary_hash_and_the_ride_starts_at_its_chunk()
    {
        var epoch = new Epoch(4, Boundary, Hash256.EmptyTrieRoot, 2);

        ChunkId first = default;
        foreach (ChunkId chunk in epoch.Ride)
        {
            first = chunk;
            break;
        }

        Assert.Equal(Boundary, epoch.StartKey);
        Assert.Equal(ChunkId.ForAccountKey(Boundary, 2), first);
    }

    [Fact]
    public void Round_trips_present_and_absent_epochs()
    {
        foreach (Epoch? epoch in new Epoch?[] { new Epoch(4, Boundary, Hash256.EmptyTrieRoot, 2), null })
        {
            var bytes = new byte[Epoch.EncodedLength(epoch)];
            var writer = new RlpWriter(bytes);
            Epoch.Write(ref writer, epoch);
            var reader = new RlpReader(bytes);

            Assert.Equal(epoch, Epoch.Read(ref reader));
        }
    }

    [Fact]
    public void Rejects_a_chunk_depth_beyond_fifteen()
    {
        byte[] bytes = Messages.RlpBuild.List(Messages.RlpBuild.U(1), Messages.RlpBuild.H(Boundary), Messages.RlpBuild.H(Boundary), Messages.RlpBuild.U(16));

        ProtocolViolationException error = Assert.Throws<ProtocolViolationException>(() =>
        {
            var reader = new RlpReader(bytes);
            Epoch.Read(ref reader);
        });

        Assert.Equal(ViolationReason.ValueOutOfRange, error.Reason);
    }
}
