using Mgr.Node.Swarm;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Swarm;

public sealed class HolderCountsTests
{
    private static readonly Hash256 EpochHash = Hash256.Parse("0x" + new string('e', 64));
    private static readonly Hash256 OtherEpochHash = Hash256.Parse("0x" + new string('f', 64));

    private static RemotePeer Peer(int id, Role role, Hash256 epochHash, KeyRangeSet haves)
    {
        var peer = new RemotePeer(new PeerHandle(id));
        peer.Adopt(new Status(1, 1, default, default, default, default, role, new Epoch(5, epochHash, default, 2), haves, []));
        return peer;
    }

    private static Hash256 RandomKey(Random random) =>
        new((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64());

    // Interval ends on chunk boundaries, inside chunks, and one key short of a boundary: every case of containment.
    private static KeyRangeSet RandomHaves(Random random, KeyspacePartition partition)
    {
        var ranges = new List<KeyRange>();
        for (int i = 0; i < random.Next(0, 12); i++)
        {
            Hash256 a = Pick(random, partition), b = Pick(random, partition);
            ranges.Add(a <= b ? new KeyRange(a, b) : new KeyRange(b, a));
        }
        return KeyRangeSet.From(ranges);
    }

    private static Hash256 Pick(Random random, KeyspacePartition partition)
    {
        KeyRange chunk = partition.ChunkAt((ulong)random.Next((int)partition.ChunkCount)).Range;
        return random.Next(4) switch { 0 => chunk.Start, 1 => chunk.End, _ => RandomKey(random) };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Each_chunks_count_is_the_number_of_peers_that_hold_it(int depth)
    {
        var partition = new KeyspacePartition(depth);
        int[] buffer = [];
        for (int seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            List<RemotePeer> peers =
            [
                Peer(0, Role.Seeder, EpochHash, KeyRangeSet.Empty),
                Peer(1, Role.Leecher, OtherEpochHash, KeyRangeSet.Full),
                Peer(2, Role.Seeder, OtherEpochHash, KeyRangeSet.Full),
                .. Enumerable.Range(3, 5).Select(id => Peer(id, Role.Leecher, EpochHash, RandomHaves(random, partition))),
            ];

            int[] counts = HolderCounts.Count(peers, EpochHash, partition, ref buffer);

            for (ulong i = 0; i < partition.ChunkCount; i++)
            {
                ChunkId chunk = partition.ChunkAt(i);
                Assert.Equal(peers.Count(peer => peer.Holds(EpochHash, chunk)), counts[i]);
            }
        }
    }

    [Fact]
    public void A_half_held_chunk_is_not_counted_and_the_buffer_is_reused()
    {
        var partition = new KeyspacePartition(1);
        KeyRange chunk3 = partition.ChunkAt(3).Range, chunk5 = partition.ChunkAt(5).Range;
        RemotePeer peer = Peer(1, Role.Leecher, EpochHash, KeyRangeSet.Of(new KeyRange(chunk3.Start, new Hash256(chunk5.Start.Word(0) + 1, 0, 0, 0))));
        int[] buffer = new int[64];

        int[] counts = HolderCounts.Count([peer], EpochHash, partition, ref buffer);

        Assert.Same(buffer, counts);
        Assert.Equal([0, 0, 0, 1, 1, 0, 0], counts[..7]);
    }
}
