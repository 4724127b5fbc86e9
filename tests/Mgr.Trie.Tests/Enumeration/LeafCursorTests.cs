using Mgr.Trie.Enumeration;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tests.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Enumeration;

public sealed class LeafCursorTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 700)]
    public void Yields_every_leaf_in_key_order_from_a_start_key_and_wraps_around(int seed, int count)
    {
        var random = new Random(seed);
        var trie = TestTrie.Random(random, count);
        Hash256 start = TestTrie.RandomKey(random);
        var expected = trie.Leaves.Where(l => l.Key >= start).Concat(trie.Leaves.Where(l => l.Key < start)).ToList();
        var cursor = new LeafCursor(trie.Store, trie.Root, start);

        var seen = new List<TrieLeaf>();
        for (int i = 0; i < 2 * count; i++)
        {
            Assert.True(cursor.TryNext(out TrieLeaf leaf));
            seen.Add(leaf);
        }

        Assert.Equal(expected.Concat(expected).Select(l => l.Key), seen.Select(l => l.Key));
        Assert.Equal(expected.Concat(expected).Select(l => l.Value.ToArray()), seen.Select(l => l.Value.ToArray()));
    }

    [Fact]
    public void Counts_laps_as_it_passes_the_top_of_the_keyspace()
    {
        var trie = TestTrie.Random(new Random(4), 10, withEdges: true);
        var cursor = new LeafCursor(trie.Store, trie.Root, trie.Leaves[5].Key);

        for (int i = 0; i < trie.Leaves.Count - 5; i++) cursor.TryNext(out _);
        uint lapsAtTop = cursor.Position.Laps;
        cursor.TryNext(out TrieLeaf wrapped);

        Assert.Equal(1u, lapsAtTop);
        Assert.Equal(Hash256.Zero, wrapped.Key);
        Assert.Equal(1u, cursor.Position.Laps);
    }

    [Fact]
    public void Resumes_from_a_serialized_position_where_it_left_off()
    {
        var trie = TestTrie.Random(new Random(5), 300);
        var cursor = new LeafCursor(trie.Store, trie.Root, trie.Leaves[290].Key);
        for (int i = 0; i < 20; i++) cursor.TryNext(out _);
        byte[] saved = cursor.Position.ToArray();

        Assert.True(LeafCursorPosition.TryRead(saved, out LeafCursorPosition position));
        var resumed = new LeafCursor(trie.Store, trie.Root, position);
        resumed.TryNext(out TrieLeaf next);
        cursor.TryNext(out TrieLeaf expected);

        Assert.Equal(LeafCursorPosition.EncodedLength, saved.Length);
        Assert.Equal(expected.Key, next.Key);
        Assert.Equal(trie.Leaves[10].Key, next.Key);
        Assert.Equal(1u, position.Laps);
    }

    [Fact]
    public void Resumes_on_a_new_root_at_the_same_place_in_the_keyspace()
    {
        var leaves = TestTrie.Random(new Random(6), 200).Leaves;
        var before = new TestTrie(leaves);
        var after = new TestTrie(leaves.Where((_, i) => i != 51));
        var cursor = new LeafCursor(before.Store, before.Root, leaves[50].Key);
        cursor.TryNext(out _);

        var moved = new LeafCursor(after.Store, after.Root, cursor.Position);
        moved.TryNext(out TrieLeaf next);

        Assert.Equal(leaves[52].Key, next.Key);
    }

    [Fact]
    public void Rejects_a_malformed_position()
    {
        Assert.False(LeafCursorPosition.TryRead(new byte[LeafCursorPosition.EncodedLength - 1], out _));
        Assert.False(LeafCursorPosition.TryRead(new byte[LeafCursorPosition.EncodedLength], out _));
    }

    [Fact]
    public void An_empty_trie_yields_nothing()
    {
        var cursor = new LeafCursor(new MemoryNodeStore(), Hash256.EmptyTrieRoot, Hash256.Zero);

        Assert.False(cursor.TryNext(out _));
    }

    [Fact]
    public void Seek_moves_to_the_first_key_at_or_after_the_target()
    {
        var trie = TestTrie.Random(new Random(7), 100);
        var cursor = new LeafCursor(trie.Store, trie.Root, Hash256.Zero);
        cursor.TryNext(out _);

        cursor.Seek(trie.Leaves[40].Key.Increment());
        cursor.TryNext(out TrieLeaf leaf);

        Assert.Equal(trie.Leaves[41].Key, leaf.Key);
    }

    [Fact]
    public void A_missing_node_is_a_typed_error()
    {
        var trie = TestTrie.Random(new Random(8), 100);
        foreach (Hash256 hash in trie.Store.Hashes.Where(h => h != trie.Root).ToList()) trie.Store.Remove(hash);
        var cursor = new LeafCursor(trie.Store, trie.Root, Hash256.Zero);

        var error = Assert.Throws<TrieException>(() => cursor.TryNext(out _));

        Assert.Equal(TrieError.MissingNode, error.Reason);
    }

    [Fact]
    public void A_trie_whose_keys_are_not_32_bytes_is_a_typed_error()
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        trie.Set([1, 2, 3], [4]);
        trie.Set([1, 2, 4], [5]);
        Hash256 root = trie.Commit();

        var error = Assert.Throws<TrieException>(() => new LeafCursor(store, root, Hash256.Zero).TryNext(out _));

        Assert.Equal(TrieError.UnexpectedShape, error.Reason);
    }
}
