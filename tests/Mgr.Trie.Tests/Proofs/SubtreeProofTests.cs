using Mgr.Trie.Nibbles;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Proofs;

public sealed class SubtreeProofTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Accepts_honest_chunks_of_random_tries_at_random_prefixes(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 100; round++)
        {
            var trie = TestTrie.Random(random, random.Next(1, 500));
            NibblePath prefix = RandomPrefix(random, random.Next(0, 5));

            var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);

            Assert.Equal(trie.Leaves.Where(l => StartsWith(l.Key, prefix)).Select(l => l.Key), chunk.Leaves.Select(l => l.Key));
            Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Rejects_every_single_mutation_of_an_honest_chunk(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 60; round++)
        {
            var trie = TestTrie.Random(random, random.Next(50, 800));
            NibblePath prefix = RandomPrefix(random, random.Next(1, 3));
            var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);
            if (chunk.Leaves.Count < 2) continue;
            var leaves = chunk.Leaves.ToList();
            var proof = chunk.Proof.ToList();
            int index = random.Next(leaves.Count);

            Expect(SubtreeProofError.SubtreeMismatch, trie, prefix, leaves.Where((_, i) => i != index).ToList(), proof);
            var changed = leaves.ToList();
            changed[index] = changed[index] with { Value = new byte[] { 0x42 } };
            Expect(SubtreeProofError.SubtreeMismatch, trie, prefix, changed, proof);
            Hash256 extra = leaves[index].Key.Increment();
            if (StartsWith(extra, prefix) && (index == leaves.Count - 1 || extra < leaves[index + 1].Key))
            {
                var added = leaves.ToList();
                added.Insert(index + 1, new TrieLeaf(extra, new byte[] { 1 }));
                Expect(SubtreeProofError.SubtreeMismatch, trie, prefix, added, proof);
            }
            var swapped = leaves.ToList();
            (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
            Expect(SubtreeProofError.KeysNotIncreasing, trie, prefix, swapped, proof);
            Expect(SubtreeProofError.DuplicateKey, trie, prefix, [leaves[0], .. leaves], proof);
            Expect(SubtreeProofError.KeyOutsidePrefix, trie, prefix, [.. leaves, new TrieLeaf(prefix[0] < 8 ? Hash256.MaxValue : Hash256.Zero, new byte[] { 1 })], proof);
            Expect(SubtreeProofError.EmptyValue, trie, prefix, [leaves[0] with { Value = Array.Empty<byte>() }, .. leaves.Skip(1)], proof);
            for (int i = 0; i < proof.Count; i++) Expect(SubtreeProofError.MissingProofNode, trie, prefix, leaves, proof.Where((_, j) => j != i).ToList());
            Assert.Equal(SubtreeProofError.MissingProofNode, SubtreeProof.Verify(TestTrie.RandomKey(random), prefix, leaves, proof));
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void Creates_a_chunk_again_from_only_its_proof_and_the_subtree_nodes_verification_rebuilt(int seed)
    {
        var random = new Random(seed);
        var trie = TestTrie.Random(random, 2_000);
        for (int round = 0; round < 20; round++)
        {
            NibblePath prefix = RandomPrefix(random, random.Next(1, 4));
            var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);
            var held = new MemoryNodeStore();
            foreach (byte[] node in chunk.Proof) held.Put(Mgr.Trie.Crypto.Keccak256.Compute(node), node);
            Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof, subtreeNodes: held));

            var again = SubtreeProof.Create(held, trie.Root, prefix);

            Assert.Equal(chunk.Leaves.Select(static leaf => leaf.Key), again.Leaves.Select(static leaf => leaf.Key));
            Assert.Equal(chunk.Proof, again.Proof);
        }
    }

    [Fact]
    public void Accepts_a_prefix_that_ends_inside_an_extension_as_the_whole_extension_subtree()
    {
        var trie = new TestTrie([Leaf("abcd00"), Leaf("abcd01"), Leaf("abcd10"), Leaf("1234")]);
        NibblePath prefix = NibblePath.Parse("0xab");

        var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);

        Assert.Equal(3, chunk.Leaves.Count);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves.Skip(1).ToList(), chunk.Proof));
    }

    [Fact]
    public void Accepts_an_empty_chunk_where_the_path_leaves_the_prefix_inside_an_extension()
    {
        var trie = new TestTrie([Leaf("abcd00"), Leaf("abcd01"), Leaf("1234")]);
        NibblePath prefix = NibblePath.Parse("0xac");

        var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);

        Assert.Empty(chunk.Leaves);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(trie.Root, prefix, [Leaf("ac")], chunk.Proof));
    }

    [Fact]
    public void Accepts_a_prefix_that_ends_inside_a_leaf_as_that_single_leaf()
    {
        var trie = new TestTrie([Leaf("ab77"), Leaf("1234"), Leaf("1299")]);
        NibblePath prefix = NibblePath.Parse("0xab7");

        var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);

        Assert.Equal(Leaf("ab77").Key, Assert.Single(chunk.Leaves).Key);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(trie.Root, prefix, [], chunk.Proof));
        var beside = SubtreeProof.Create(trie.Store, trie.Root, NibblePath.Parse("0xab6"));
        Assert.Empty(beside.Leaves);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, NibblePath.Parse("0xab6"), [], beside.Proof));
    }

    [Fact]
    public void Accepts_an_empty_chunk_under_an_empty_branch_slot()
    {
        var trie = new TestTrie([Leaf("10"), Leaf("20"), Leaf("30")]);
        NibblePath prefix = NibblePath.Parse("0x4");

        var chunk = SubtreeProof.Create(trie.Store, trie.Root, prefix);

        Assert.Empty(chunk.Leaves);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, prefix, chunk.Leaves, chunk.Proof));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(trie.Root, prefix, [Leaf("40")], chunk.Proof));
    }

    [Fact]
    public void The_empty_prefix_is_the_whole_trie_and_needs_no_proof()
    {
        var trie = TestTrie.Random(new Random(9), 300);

        var chunk = SubtreeProof.Create(trie.Store, trie.Root, NibblePath.Empty);

        Assert.Empty(chunk.Proof);
        Assert.Equal(300, chunk.Leaves.Count);
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(trie.Root, NibblePath.Empty, chunk.Leaves, chunk.Proof));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(trie.Root, NibblePath.Empty, chunk.Leaves.Skip(1).ToList(), chunk.Proof));
    }

    [Fact]
    public void Accepts_only_no_leaves_for_the_empty_trie()
    {
        Assert.Equal(SubtreeProofError.None, SubtreeProof.Verify(Hash256.EmptyTrieRoot, NibblePath.Parse("0x1"), [], []));
        Assert.Equal(SubtreeProofError.SubtreeMismatch, SubtreeProof.Verify(Hash256.EmptyTrieRoot, NibblePath.Parse("0x1"), [Leaf("10")], []));
    }

    [Fact]
    public void Rejects_a_prefix_longer_than_a_key()
    {
        var prefix = NibblePath.FromNibbles(new byte[65]);

        Assert.Equal(SubtreeProofError.PrefixTooLong, SubtreeProof.Verify(Hash256.EmptyTrieRoot, prefix, [], []));
    }

    [Fact]
    public void First_key_under_a_prefix_pads_with_zero_nibbles()
    {
        Assert.Equal(Hash256.Parse("0xab70000000000000000000000000000000000000000000000000000000000000"), SubtreeProof.FirstKeyUnder(NibblePath.Parse("0xab7")));
    }

    private static TrieLeaf Leaf(string hexStart)
    {
        var key = Hash256.Parse("0x" + hexStart.PadRight(64, '0'));
        return new TrieLeaf(key, System.Text.Encoding.UTF8.GetBytes("value-" + hexStart));
    }

    private static void Expect(SubtreeProofError error, TestTrie trie, NibblePath prefix, List<TrieLeaf> leaves, List<byte[]> proof) =>
        Assert.Equal(error, SubtreeProof.Verify(trie.Root, prefix, leaves, proof));

    private static NibblePath RandomPrefix(Random random, int length) =>
        NibblePath.FromNibbles(Enumerable.Range(0, length).Select(_ => (byte)random.Next(16)).ToArray());

    private static bool StartsWith(Hash256 key, NibblePath prefix) => Enumerable.Range(0, prefix.Length).All(i => key.Nibble(i) == prefix[i]);
}
