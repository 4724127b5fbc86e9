using Mgr.Trie.Nibbles;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;

namespace Mgr.Trie.Tests.Nodes;

public sealed class NodeCodecTests
{
    [Fact]
    public void Round_trips_a_leaf()
    {
        var leaf = new LeafNode(NibblePath.Parse("0x0f1cb8"), [1, 2, 3]);

        var decoded = Assert.IsType<LeafNode>(NodeCodec.Decode(NodeCodec.Encode(leaf)));

        Assert.Equal(leaf.Path, decoded.Path);
        Assert.Equal(leaf.Value, decoded.Value);
        Assert.Equal("c984200f1cb883010203", Convert.ToHexStringLower(leaf.Rlp));
    }

    [Fact]
    public void Embeds_children_shorter_than_32_bytes_and_hashes_the_rest()
    {
        var small = new LeafNode(NibblePath.Parse("0x1"), [7]);
        var large = new LeafNode(NibblePath.Parse("0x2"), new byte[40]);
        var children = new TrieNode?[16];
        children[1] = small;
        children[2] = large;
        var branch = new BranchNode(children, null);

        var decoded = Assert.IsType<BranchNode>(NodeCodec.Decode(branch.Rlp));

        Assert.True(small.IsInline);
        Assert.False(large.IsInline);
        Assert.IsType<LeafNode>(decoded.Children[1]);
        Assert.Equal(large.Hash, Assert.IsType<HashReferenceNode>(decoded.Children[2]).Hash);
        Assert.Equal(2, decoded.ChildCount);
        Assert.Equal(branch.Hash, decoded.Hash);
    }

    [Fact]
    public void Round_trips_an_extension_over_a_hashed_branch()
    {
        var extension = new ExtensionNode(NibblePath.Parse("0xabc"), new HashReferenceNode(Hash256.MaxValue));

        var decoded = Assert.IsType<ExtensionNode>(NodeCodec.Decode(extension.Rlp));

        Assert.Equal(NibblePath.Parse("0xabc"), decoded.Path);
        Assert.Equal(Hash256.MaxValue, decoded.Child.Hash);
    }

    [Theory]
    [InlineData("c3010203")]            // three items
    [InlineData("c28080")]              // empty hex-prefix string
    [InlineData("c22080")]              // leaf with an empty value
    [InlineData("c20080")]              // extension with an empty path
    [InlineData("c3104182")]            // truncated item
    [InlineData("ff")]                  // not a list
    [InlineData("c4820001c0")]          // extension whose embedded child is an empty list
    [InlineData("c21001")]              // extension whose child reference is 1 byte
    public void Rejects_bytes_that_are_not_a_valid_node(string hex)
    {
        var error = Assert.Throws<TrieException>(() => NodeCodec.Decode(Convert.FromHexString(hex)));

        Assert.Equal(TrieError.MalformedNode, error.Reason);
    }

    [Fact]
    public void Rejects_an_embedded_child_of_32_bytes_or_more()
    {
        var big = new LeafNode(NibblePath.Parse("0x1"), new byte[40]);
        var children = Enumerable.Repeat<byte>(0x80, 15).ToList();
        byte[] content = [.. big.Rlp, .. children, 0x80];
        byte[] branch = [0xf8, (byte)content.Length, .. content];

        var error = Assert.Throws<TrieException>(() => NodeCodec.Decode(branch));

        Assert.Equal(TrieError.MalformedNode, error.Reason);
    }

    [Fact]
    public void Random_and_corrupted_bytes_only_ever_fail_with_a_typed_error()
    {
        var random = new Random(12);
        var branch = new BranchNode([.. Enumerable.Range(0, 16).Select(i => (TrieNode?)new HashReferenceNode(Hash256.MaxValue))], [1, 2]);
        byte[][] seeds = [branch.Rlp, new LeafNode(NibblePath.Parse("0x123"), new byte[50]).Rlp, new ExtensionNode(NibblePath.Parse("0x1"), branch).Rlp];

        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = i % 2 == 0 ? RandomBytes(random) : Corrupt(random, seeds[random.Next(seeds.Length)]);
            try
            {
                NodeCodec.Decode(bytes);
            }
            catch (TrieException error)
            {
                Assert.Equal(TrieError.MalformedNode, error.Reason);
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 80)];
        random.NextBytes(bytes);
        if (bytes.Length > 0) bytes[0] = (byte)(0xc0 + random.Next(64));
        return bytes;
    }

    private static byte[] Corrupt(Random random, byte[] seed)
    {
        byte[] bytes = seed.ToArray();
        for (int flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return random.Next(4) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }
}
