using Mgr.Protocol.Chunking;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;
using Mgr.Trie.Rlp;

namespace Mgr.Protocol.Tests.Chunking;

public sealed class ChunkIdTests
{
    private static readonly Hash256 Key = Hash256.Parse("0x5a7c3e0000000000000000000000000000000000000000000000000000000001");

    [Fact]
    public void Truncates_a_key_to_its_prefix()
    {
        ChunkId chunk = ChunkId.ForAccountKey(Key, 3);

        Assert.Equal(Hash256.Parse("0x5a70000000000000000000000000000000000000000000000000000000000000"), chunk.Path);
        Assert.Equal(Hash256.Parse("0x5a7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), chunk.Range.End);
        Assert.True(chunk.Contains(Key));
        Assert.False(chunk.Contains(Hash256.Parse("0x5a80000000000000000000000000000000000000000000000000000000000000")));
    }

    [Fact]
    public void Sixteen_children_cover_their_parent_exactly()
    {
        ChunkId parent = ChunkId.ForStorageKey(Key, Key, 5);

        ChunkId[] children = parent.Children();

        Assert.Equal(KeyRangeSet.Of(parent.Range), KeyRangeSet.From(children.Select(child => child.Range)));
        for (int i = 1; i < 16; i++) Assert.Equal(children[i - 1].Range.End.Increment(), children[i].Range.Start);
        Assert.All(children, child => Assert.Equal(parent.Account, child.Account));
    }

    [Fact]
    public void Depth_zero_is_the_whole_keyspace_and_depth_64_a_single_key()
    {
        Assert.Equal(KeyRange.Full, ChunkId.ForAccountKey(Key, 0).Range);
        Assert.Equal(new KeyRange(Key, Key), ChunkId.ForAccountKey(Key, 64).Range);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(63)]
    [InlineData(64)]
    public void Round_trips_through_its_encoding(int depth)
    {
        foreach (ChunkId chunk in new[] { ChunkId.ForAccountKey(Key, depth), ChunkId.ForStorageKey(Hash256.EmptyKeccak, Key, depth) })
        {
            var bytes = new byte[chunk.EncodedLength()];
            var writer = new RlpWriter(bytes);
            chunk.WriteTo(ref writer);
            var reader = new RlpReader(bytes);

            Assert.Equal(bytes.Length, writer.Written);
            Assert.Equal(chunk, ChunkId.Read(ref reader));
        }
    }

    [Fact]
    public void Refuses_a_path_with_nibbles_past_its_depth()
    {
        Assert.Throws<ArgumentException>(() => new ChunkId(null, 2, Key));
    }
}
