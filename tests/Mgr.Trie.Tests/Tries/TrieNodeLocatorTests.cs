using Mgr.Trie.Crypto;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Tries;

public sealed class TrieNodeLocatorTests
{
    // Keys 0x123440 and 0x123450: root = extension "1234" → branch → leaves (remaining path "0") under nibbles 4 and 5;
    // with a one-byte value such a leaf is shorter than 32 bytes and inlined in the branch.
    private static readonly byte[] KeyA = [0x12, 0x34, 0x40];
    private static readonly byte[] KeyB = [0x12, 0x34, 0x50];

    [Fact]
    public void Finds_the_root_and_the_node_below_an_extension_but_not_a_path_ending_inside_it()
    {
        (MemoryNodeStore store, Hash256 root) = Build(new byte[40], new byte[40]);

        Assert.True(TrieNodeLocator.TryGetNode(store, root, [], out ReadOnlyMemory<byte> rootRlp));
        Assert.Equal(root, Keccak256.Compute(rootRlp.Span));
        var extension = (ExtensionNode)NodeCodec.Decode(rootRlp.Span);
        Assert.True(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4], out ReadOnlyMemory<byte> branch));
        Assert.Equal(extension.Child.Hash, Keccak256.Compute(branch.Span));
        Assert.False(TrieNodeLocator.TryGetNode(store, root, [1, 2], out _));
        Assert.False(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4, 7], out _));
    }

    [Fact]
    public void Returns_a_node_inlined_in_its_parent_as_its_own_encoding()
    {
        (MemoryNodeStore store, Hash256 root) = Build([1], [2]);
        Assert.True(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4], out ReadOnlyMemory<byte> branchRlp));
        var branch = (BranchNode)NodeCodec.Decode(branchRlp.Span);

        Assert.True(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4, 4], out ReadOnlyMemory<byte> leaf));

        Assert.True(branch.Children[4]!.IsInline);
        Assert.Equal(branch.Children[4]!.Rlp, leaf.ToArray());
        Assert.IsType<LeafNode>(NodeCodec.Decode(leaf.Span));
    }

    [Fact]
    public void Has_no_node_for_an_unknown_root_a_missing_node_or_a_path_past_a_leaf()
    {
        (MemoryNodeStore store, Hash256 root) = Build(new byte[40], new byte[40]);
        Assert.True(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4, 4], out ReadOnlyMemory<byte> leaf));
        var partial = new MemoryNodeStore();
        partial.Put(root, store.TryGet(root, out ReadOnlyMemory<byte> rootRlp) ? rootRlp.Span : default);

        Assert.False(TrieNodeLocator.TryGetNode(store, Hash256.MaxValue, [], out _));
        Assert.False(TrieNodeLocator.TryGetNode(partial, root, [1, 2, 3, 4], out _));
        Assert.False(TrieNodeLocator.TryGetNode(store, root, [1, 2, 3, 4, 4, 0], out _));
        Assert.IsType<LeafNode>(NodeCodec.Decode(leaf.Span));
    }

    private static (MemoryNodeStore Store, Hash256 Root) Build(byte[] valueA, byte[] valueB)
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        trie.Set(KeyA, valueA);
        trie.Set(KeyB, valueB);
        return (store, trie.Commit());
    }
}
