using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Proofs;

public sealed class RangeProofVerifierTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Accepts_honest_proofs_and_reports_whether_more_leaves_follow(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 150; round++)
        {
            var trie = TestTrie.Random(random, random.Next(1, 400), withEdges: round % 5 == 0);
            Hash256 origin = PickOrigin(random, trie);
            var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, random.Next(1, 60));

            var result = RangeProofVerifier.Verify(trie.Root, origin, range.Leaves, range.Proof);

            var expected = trie.Leaves.Where(l => l.Key >= origin).Take(range.Leaves.Count).Select(l => l.Key);
            Assert.Equal(expected, range.Leaves.Select(l => l.Key));
            Assert.Equal(RangeProofResult.Valid(hasMore: trie.Leaves.Any(l => range.Leaves.Count > 0 && l.Key > range.Leaves[^1].Key)), result);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Rejects_every_single_mutation_of_an_honest_proof_with_its_reason(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 60; round++)
        {
            var trie = TestTrie.Random(random, random.Next(3, 300), withEdges: round % 4 == 0);
            Hash256 origin = PickOrigin(random, trie);
            var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, random.Next(3, 40));
            if (range.Leaves.Count < 3) continue;
            var leaves = range.Leaves.ToList();
            var proof = range.Proof!.ToList();
            int middle = random.Next(1, leaves.Count - 1);
            Assert.True(RangeProofVerifier.Verify(trie.Root, origin, leaves, proof).IsValid);

            Expect(RangeProofError.RootMismatch, trie, origin, Without(leaves, middle), proof);
            Expect(RangeProofError.RootMismatch, trie, origin, Without(leaves, 0), proof);
            ExpectEither(RangeProofError.RootMismatch, RangeProofError.MissingProofNode, trie, origin, Without(leaves, leaves.Count - 1), proof);
            Hash256 between = leaves[middle].Key.Increment();
            if (between < leaves[middle + 1].Key)
            {
                Expect(RangeProofError.RootMismatch, trie, origin, With(leaves, middle + 1, new TrieLeaf(between, new byte[] { 9 })), proof);
                Expect(RangeProofError.RootMismatch, trie, origin, Replace(leaves, middle, leaves[middle] with { Key = between }), proof);
            }
            Expect(RangeProofError.RootMismatch, trie, origin, Replace(leaves, middle, leaves[middle] with { Value = Flip(leaves[middle].Value) }), proof);
            Expect(RangeProofError.RootMismatch, trie, origin, Replace(leaves, 0, leaves[0] with { Value = Flip(leaves[0].Value) }), proof);
            Expect(RangeProofError.RootMismatch, trie, origin, Replace(leaves, leaves.Count - 1, leaves[^1] with { Value = Flip(leaves[^1].Value) }), proof);
            Expect(RangeProofError.KeysNotIncreasing, trie, origin, Swap(leaves, middle, middle + 1), proof);
            Expect(RangeProofError.DuplicateKey, trie, origin, With(leaves, middle + 1, leaves[middle]), proof);
            Expect(RangeProofError.EmptyValue, trie, origin, Replace(leaves, middle, leaves[middle] with { Value = Array.Empty<byte>() }), proof);
            for (int i = 0; i < proof.Count; i++) Expect(RangeProofError.MissingProofNode, trie, origin, leaves, Without(proof, i));
            Assert.Equal(RangeProofError.KeyBeforeOrigin, RangeProofVerifier.Verify(trie.Root, leaves[0].Key.Increment(), leaves, proof).Error);
            Assert.Equal(RangeProofError.MissingProofNode, RangeProofVerifier.Verify(Keccak256.Compute([1]), origin, leaves, proof).Error);
            if (leaves.Count < trie.Leaves.Count)
                Assert.Equal(RangeProofError.RootMismatch, RangeProofVerifier.Verify(trie.Root, origin, leaves, proof: null).Error);
        }
    }

    [Fact]
    public void Accepts_an_unrelated_extra_node_and_nodes_in_any_order()
    {
        var trie = TestTrie.Random(new Random(21), 500);
        Hash256 origin = trie.Leaves[100].Key.Decrement();
        var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 50);
        var proof = range.Proof!.Reverse().Append(trie.Store.TryGet(trie.Root, out var rootNode) ? rootNode.ToArray() : [])
            .Append(new byte[] { 0xc2, 0x80, 0x80 }).ToList();

        Assert.Equal(RangeProofResult.Valid(hasMore: true), RangeProofVerifier.Verify(trie.Root, origin, range.Leaves, proof));
    }

    [Fact]
    public void Accepts_an_empty_range_past_the_last_key_and_reports_no_more()
    {
        var trie = TestTrie.Random(new Random(22), 200);
        Hash256 origin = trie.Leaves[^1].Key.Increment();
        var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 10);

        var result = RangeProofVerifier.Verify(trie.Root, origin, range.Leaves, range.Proof);

        Assert.Empty(range.Leaves);
        Assert.Equal(RangeProofResult.Valid(hasMore: false), result);
    }

    [Fact]
    public void Rejects_an_empty_range_when_leaves_exist_after_the_origin()
    {
        var trie = TestTrie.Random(new Random(23), 200);
        Hash256 origin = trie.Leaves[150].Key.Decrement();
        var proof = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 10).Proof;

        var result = RangeProofVerifier.Verify(trie.Root, origin, [], proof);

        Assert.Equal(RangeProofError.RootMismatch, result.Error);
    }

    [Fact]
    public void Rejects_an_empty_range_with_an_empty_proof_for_a_non_empty_trie()
    {
        var trie = TestTrie.Random(new Random(24), 20);

        var result = RangeProofVerifier.Verify(trie.Root, Hash256.Zero, [], Array.Empty<byte[]>());

        Assert.Equal(RangeProofError.MissingProofNode, result.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Accepts_a_single_leaf_range_with_origin_present_or_absent(bool originPresent)
    {
        var trie = TestTrie.Random(new Random(25), 300);
        Hash256 origin = originPresent ? trie.Leaves[40].Key : trie.Leaves[40].Key.Decrement();
        var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 1);

        var result = RangeProofVerifier.Verify(trie.Root, origin, range.Leaves, range.Proof);

        Assert.Equal(trie.Leaves[40].Key, Assert.Single(range.Leaves).Key);
        Assert.Equal(RangeProofResult.Valid(hasMore: true), result);
    }

    [Fact]
    public void Rejects_a_single_leaf_range_that_skips_the_first_leaf_after_the_origin()
    {
        var trie = TestTrie.Random(new Random(26), 300);
        Hash256 origin = trie.Leaves[40].Key.Decrement();
        var skipped = RangeProver.Create(trie.Store, trie.Root, trie.Leaves[41].Key, Hash256.MaxValue, 1);
        var originProof = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 1).Proof!;

        var result = RangeProofVerifier.Verify(trie.Root, origin, skipped.Leaves, originProof.Concat(skipped.Proof!).ToList());

        Assert.Equal(RangeProofError.RootMismatch, result.Error);
    }

    [Fact]
    public void Accepts_a_trie_of_one_leaf_proven_alone()
    {
        var trie = TestTrie.Random(new Random(27), 1);
        var range = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 5);

        Assert.Equal(RangeProofResult.Valid(hasMore: false), RangeProofVerifier.Verify(trie.Root, Hash256.Zero, range.Leaves, range.Proof));
        Assert.Equal(RangeProofError.RootMismatch, RangeProofVerifier.Verify(trie.Root, Hash256.Zero, [], range.Proof).Error);
    }

    [Fact]
    public void Accepts_the_whole_trie_without_a_proof()
    {
        var trie = TestTrie.Random(new Random(28), 250);
        var range = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 1000, omitProofForWholeTrie: true);

        var result = RangeProofVerifier.Verify(trie.Root, Hash256.Zero, range.Leaves, range.Proof);

        Assert.Null(range.Proof);
        Assert.Equal(RangeProofResult.Valid(hasMore: false), result);
    }

    [Fact]
    public void Rejects_a_partial_trie_without_a_proof()
    {
        var trie = TestTrie.Random(new Random(29), 250);

        var result = RangeProofVerifier.Verify(trie.Root, Hash256.Zero, trie.Leaves.Take(249).ToList(), proof: null);

        Assert.Equal(RangeProofError.RootMismatch, result.Error);
    }

    [Fact]
    public void Accepts_the_empty_trie_with_no_leaves_with_or_without_a_proof()
    {
        Assert.Equal(RangeProofResult.Valid(false), RangeProofVerifier.Verify(Hash256.EmptyTrieRoot, Hash256.Zero, [], proof: null));
        Assert.Equal(RangeProofResult.Valid(false), RangeProofVerifier.Verify(Hash256.EmptyTrieRoot, Hash256.Zero, [], Array.Empty<byte[]>()));
        Assert.Equal(RangeProofError.RootMismatch, RangeProofVerifier.Verify(Hash256.EmptyTrieRoot, Hash256.Zero, [new TrieLeaf(Hash256.Zero, new byte[] { 1 })], Array.Empty<byte[]>()).Error);
    }

    [Fact]
    public void Proves_ranges_touching_both_ends_of_the_keyspace()
    {
        var trie = TestTrie.Random(new Random(30), 100, withEdges: true);
        var first = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 10);
        var last = RangeProver.Create(trie.Store, trie.Root, trie.Leaves[^3].Key, Hash256.MaxValue, 10);

        Assert.Equal(Hash256.Zero, first.Leaves[0].Key);
        Assert.Equal(RangeProofResult.Valid(hasMore: true), RangeProofVerifier.Verify(trie.Root, Hash256.Zero, first.Leaves, first.Proof));
        Assert.Equal(Hash256.MaxValue, last.Leaves[^1].Key);
        Assert.Equal(RangeProofResult.Valid(hasMore: false), RangeProofVerifier.Verify(trie.Root, trie.Leaves[^3].Key, last.Leaves, last.Proof));
        Assert.Equal(RangeProofError.RootMismatch, RangeProofVerifier.Verify(trie.Root, trie.Leaves[^3].Key, last.Leaves.Where((_, i) => i != 1).ToList(), last.Proof).Error);
    }

    [Fact]
    public void Rejects_a_proof_node_that_is_not_a_trie_node()
    {
        byte[] garbage = [0xc3, 0x01, 0x02, 0x03];

        var result = RangeProofVerifier.Verify(Keccak256.Compute(garbage), Hash256.Zero, [], [garbage]);

        Assert.Equal(RangeProofError.MalformedProofNode, result.Error);
    }

    [Fact]
    public void Rejects_an_oversized_proof()
    {
        var proof = Enumerable.Range(0, ProofNodeSet.MaxNodes + 1).Select(i => new byte[] { 0xc1, (byte)(i & 0x7f) }).ToList();

        Assert.Equal(RangeProofError.ProofTooLarge, RangeProofVerifier.Verify(Hash256.Zero, Hash256.Zero, [], proof).Error);
    }

    [Fact]
    public void Corrupted_proof_nodes_give_a_verdict_never_an_exception()
    {
        var random = new Random(40);
        var trie = TestTrie.Random(random, 300);
        Hash256 origin = trie.Leaves[100].Key.Decrement();
        var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 20);

        for (int i = 0; i < 2000; i++)
        {
            var proof = range.Proof!.Select(n => n.ToArray()).ToList();
            int index = random.Next(proof.Count);
            int position = random.Next(proof[index].Length);
            byte replacement = (byte)random.Next(256);
            if (proof[index][position] == replacement) continue;
            proof[index][position] = replacement;

            var honestRoot = RangeProofVerifier.Verify(trie.Root, origin, range.Leaves, proof);
            var corruptedRoot = RangeProofVerifier.Verify(Keccak256.Compute(proof[index]), origin, range.Leaves, proof);

            // Every honest node is on a walked path, so a changed one is simply missing under the real root;
            // under the corrupted node's own hash any verdict is possible, but it must be a verdict.
            Assert.Equal(RangeProofError.MissingProofNode, honestRoot.Error);
            Assert.True(Enum.IsDefined(corruptedRoot.Error));
        }
    }

    private static Hash256 PickOrigin(Random random, TestTrie trie) => random.Next(4) switch
    {
        0 => Hash256.Zero,
        1 => trie.Leaves[random.Next(trie.Leaves.Count)].Key,
        _ => TestTrie.RandomKey(random),
    };

    private static void Expect(RangeProofError error, TestTrie trie, Hash256 origin, List<TrieLeaf> leaves, List<byte[]> proof) =>
        Assert.Equal(RangeProofResult.Invalid(error), RangeProofVerifier.Verify(trie.Root, origin, leaves, proof));

    private static void ExpectEither(RangeProofError one, RangeProofError other, TestTrie trie, Hash256 origin, List<TrieLeaf> leaves, List<byte[]> proof) =>
        Assert.Contains(RangeProofVerifier.Verify(trie.Root, origin, leaves, proof).Error, new[] { one, other });

    private static List<T> Without<T>(List<T> items, int index) => items.Where((_, i) => i != index).ToList();

    private static List<T> With<T>(List<T> items, int index, T item)
    {
        var copy = items.ToList();
        copy.Insert(index, item);
        return copy;
    }

    private static List<T> Replace<T>(List<T> items, int index, T item)
    {
        var copy = items.ToList();
        copy[index] = item;
        return copy;
    }

    private static List<T> Swap<T>(List<T> items, int a, int b)
    {
        var copy = items.ToList();
        (copy[a], copy[b]) = (copy[b], copy[a]);
        return copy;
    }

    private static byte[] Flip(ReadOnlyMemory<byte> value)
    {
        byte[] copy = value.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }
}
