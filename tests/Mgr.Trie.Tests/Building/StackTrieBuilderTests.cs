using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Building;

public sealed class StackTrieBuilderTests
{
    private static readonly byte[] Alphabet = [0x00, 0x01, 0x10, 0x11, 0x7f, 0x80, 0xff];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Stack_builder_root_equals_full_trie_root_for_plain_keys_of_varied_length(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 1000; round++)
        {
            var entries = RandomPlainEntries(random, random.Next(0, 40));
            var trie = new PatriciaTrie(new MemoryNodeStore());
            foreach (var (key, value) in entries) trie.Set(key, value);
            var builder = new StackTrieBuilder();

            foreach (var (key, value) in entries.OrderBy(e => e.Key, ByteOrder.Instance)) builder.Add(key, value);

            Assert.Equal(trie.RootHash, builder.Finish());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Stack_builder_root_equals_full_trie_root_for_32_byte_keys(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 1000; round++)
        {
            var leaves = RandomLeaves(random, random.Next(0, 120));
            var trie = new PatriciaTrie(new MemoryNodeStore());
            foreach (var leaf in leaves) trie.Set(leaf.Key.ToArray(), leaf.Value.Span);
            var builder = new StackTrieBuilder();

            foreach (var leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);

            Assert.Equal(trie.RootHash, builder.Finish());
        }
    }

    [Fact]
    public void Emitted_nodes_are_exactly_those_a_committed_trie_stores()
    {
        var leaves = RandomLeaves(new Random(7), 3000);
        var emitted = new MemoryNodeStore();
        var builder = new StackTrieBuilder(emitted);
        var committed = new MemoryNodeStore();
        var trie = new PatriciaTrie(committed);
        foreach (var leaf in leaves) trie.Set(leaf.Key.ToArray(), leaf.Value.Span);

        foreach (var leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);
        Hash256 root = builder.Finish();
        trie.Commit();

        Assert.Equal(committed.Hashes.OrderBy(h => h), emitted.Hashes.OrderBy(h => h));
        var reopened = new PatriciaTrie(emitted, root);
        foreach (var leaf in leaves) Assert.Equal(leaf.Value.ToArray(), reopened.Get(leaf.Key.ToArray()));
    }

    [Fact]
    public void Rejects_a_key_smaller_than_the_previous_one()
    {
        var builder = new StackTrieBuilder();
        builder.Add([0x20], [1]);

        var error = Assert.Throws<TrieBuildException>(() => builder.Add([0x1f, 0xff], [1]));

        Assert.Equal(TrieBuildError.KeyNotIncreasing, error.Reason);
        Assert.Equal(1, error.LeafIndex);
    }

    [Fact]
    public void Rejects_a_key_that_is_a_prefix_of_the_previous_one()
    {
        var builder = new StackTrieBuilder();
        builder.Add([0x20, 0x01], [1]);

        var error = Assert.Throws<TrieBuildException>(() => builder.Add([0x20], [1]));

        Assert.Equal(TrieBuildError.KeyNotIncreasing, error.Reason);
    }

    [Fact]
    public void Rejects_a_duplicate_key()
    {
        var builder = new StackTrieBuilder();
        builder.Add(Hash256.MaxValue.Decrement(), [1]);
        builder.Add(Hash256.MaxValue, [1]);

        var error = Assert.Throws<TrieBuildException>(() => builder.Add(Hash256.MaxValue, [2]));

        Assert.Equal(TrieBuildError.DuplicateKey, error.Reason);
    }

    [Fact]
    public void Rejects_an_empty_value()
    {
        var builder = new StackTrieBuilder();

        var error = Assert.Throws<TrieBuildException>(() => builder.Add(Hash256.Zero, []));

        Assert.Equal(TrieBuildError.EmptyValue, error.Reason);
    }

    [Fact]
    public void Empty_input_gives_the_empty_trie_root()
    {
        Assert.Equal(Hash256.EmptyTrieRoot, new StackTrieBuilder().Finish());
    }

    [Fact]
    public void Is_reusable_after_finish()
    {
        var leaves = RandomLeaves(new Random(3), 50);
        var builder = new StackTrieBuilder();
        foreach (var leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);
        Hash256 first = builder.Finish();

        foreach (var leaf in leaves) builder.Add(leaf.Key, leaf.Value.Span);

        Assert.Equal(first, builder.Finish());
    }

    [Fact]
    public void Counts_one_keccak_permutation_per_started_136_byte_block()
    {
        var builder = new StackTrieBuilder();

        builder.Add(Hash256.Zero, new byte[70]);   // leaf RLP 107 bytes: 1 block
        builder.Finish();
        builder.Add(Hash256.Zero, new byte[200]);  // leaf RLP 237 bytes: 2 blocks
        builder.Add(Hash256.MaxValue, new byte[200]);
        builder.Finish();                          // root branch of 2 hashes: 1 block

        Assert.Equal(4, builder.HashedNodes);
        Assert.Equal(1 + 2 + 2 + 1, builder.KeccakPermutations);
        Assert.Equal(3, builder.LeafCount);
    }

    [Fact]
    public void Adding_leaves_allocates_nothing_after_warm_up()
    {
        var random = new Random(11);
        var keys = new Hash256[100_000];
        var keyBytes = new byte[32];
        for (int i = 0; i < keys.Length; i++) { random.NextBytes(keyBytes); keys[i] = new Hash256(keyBytes); }
        Array.Sort(keys);
        var value = new byte[70];
        random.NextBytes(value);
        var builder = new StackTrieBuilder();
        for (int i = 0; i < 1000; i++) builder.Add(keys[i], value);
        long permutationsBefore = builder.KeccakPermutations;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1000; i < keys.Length; i++) builder.Add(keys[i], value);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long permutations = builder.KeccakPermutations - permutationsBefore;

        // Keccak256 itself may allocate in unoptimised (Debug) builds; measure that (one permutation per
        // 70-byte input) and allow only it.
        long keccakBefore = GC.GetAllocatedBytesForCurrentThread();
        var digest = new byte[32];
        for (long i = 0; i < permutations; i++) Mgr.Trie.Crypto.Keccak256.Hash(value, digest);
        long keccakAllocated = GC.GetAllocatedBytesForCurrentThread() - keccakBefore;
        Assert.InRange(allocated, 0, keccakAllocated + 8 * 1024);
    }

    private static List<(byte[] Key, byte[] Value)> RandomPlainEntries(Random random, int count)
    {
        var entries = new Dictionary<string, (byte[], byte[])>();
        for (int i = 0; i < count; i++)
        {
            var key = new byte[random.Next(0, 5)];
            for (int j = 0; j < key.Length; j++) key[j] = Alphabet[random.Next(Alphabet.Length)];
            var value = new byte[random.Next(1, 40)];
            random.NextBytes(value);
            entries[Convert.ToHexString(key)] = (key, value);
        }
        return [.. entries.Values];
    }

    internal static List<TrieLeaf> RandomLeaves(Random random, int count)
    {
        var leaves = new SortedDictionary<Hash256, byte[]>();
        var key = new byte[32];
        while (leaves.Count < count)
        {
            random.NextBytes(key);
            var value = new byte[random.Next(1, 80)];
            random.NextBytes(value);
            leaves[new Hash256(key)] = value;
        }
        return leaves.Select(p => new TrieLeaf(p.Key, p.Value)).ToList();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
