using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;

namespace Mgr.Trie.Tries;

/// <summary>A <see cref="PatriciaTrie"/> whose keys are Keccak-256 of the caller's keys, as Ethereum's state
/// and storage tries are. Keys are hashed on every call; the underlying trie is <see cref="Inner"/>.</summary>
/// <remarks>Not thread-safe; errors as for <see cref="PatriciaTrie"/>.</remarks>
public sealed class SecureTrie
{
    /// <summary>An empty secure trie over <paramref name="store"/>.</summary>
    public SecureTrie(INodeStore store) : this(store, Hash256.EmptyTrieRoot) { }

    /// <summary>The secure trie with root <paramref name="root"/> in <paramref name="store"/>.</summary>
    public SecureTrie(INodeStore store, Hash256 root) => Inner = new PatriciaTrie(store, root);

    /// <summary>The trie keyed by hashed keys.</summary>
    public PatriciaTrie Inner { get; }

    /// <summary>The root hash.</summary>
    public Hash256 RootHash => Inner.RootHash;

    /// <summary>The value under Keccak(<paramref name="key"/>), or null.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key) => Inner.Get(HashedKey(key));

    /// <summary>Sets the value under Keccak(<paramref name="key"/>); an empty value deletes it.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Inner.Set(HashedKey(key), value);

    /// <summary>Removes Keccak(<paramref name="key"/>); false when absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key) => Inner.Delete(HashedKey(key));

    /// <summary>Writes new nodes to the store; returns the root hash.</summary>
    public Hash256 Commit() => Inner.Commit();

    private static byte[] HashedKey(ReadOnlySpan<byte> key)
    {
        var hashed = new byte[Hash256.Length];
        Keccak256.Hash(key, hashed);
        return hashed;
    }
}
