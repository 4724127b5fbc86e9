using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Tries;

public sealed class SecureTrieTests
{
    [Fact]
    public void Stores_each_value_under_the_keccak_of_its_key()
    {
        var store = new MemoryNodeStore();
        var trie = new SecureTrie(store);
        trie.Set("dog"u8, "puppy"u8);
        trie.Set("horse"u8, "stallion"u8);

        Hash256 root = trie.Commit();
        var reopened = new SecureTrie(store, root);

        Assert.Equal("puppy"u8.ToArray(), reopened.Get("dog"u8));
        Assert.Equal("stallion"u8.ToArray(), reopened.Inner.Get(Keccak256.Compute("horse"u8).ToArray()));
        Assert.Null(reopened.Get("cat"u8));
    }

    [Fact]
    public void Deleting_the_last_key_returns_to_the_empty_root()
    {
        var trie = new SecureTrie(new MemoryNodeStore());
        trie.Set("dog"u8, "puppy"u8);

        Assert.True(trie.Delete("dog"u8));
        Assert.False(trie.Delete("dog"u8));
        Assert.Equal(Hash256.EmptyTrieRoot, trie.RootHash);
    }
}
