using Mgr.Trie.Crypto;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Tests.Storage;

public sealed class MemoryNodeStoreTests
{
    [Fact]
    public void Keeps_a_copy_of_each_node_once_and_forgets_removed_ones()
    {
        var store = new MemoryNodeStore();
        byte[] node = [0xc2, 0x80, 0x80];
        var hash = Keccak256.Compute(node);

        store.Put(hash, node);
        store.Put(hash, node);
        node[1] = 0;

        Assert.Equal(1, store.Count);
        Assert.Equal(3, store.TotalBytes);
        Assert.True(store.TryGet(hash, out var stored));
        Assert.Equal(new byte[] { 0xc2, 0x80, 0x80 }, stored.ToArray());
        Assert.True(store.Remove(hash));
        Assert.False(store.TryGet(hash, out _));
        Assert.Equal(0, store.TotalBytes);
    }
}
