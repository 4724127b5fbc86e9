using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;

namespace Mgr.Trie.Tests.Proofs;

public sealed class RangeProverTests
{
    [Fact]
    public void Stops_at_the_first_key_at_or_past_the_limit()
    {
        var trie = TestTrie.Random(new Random(31), 300);
        Hash256 limit = trie.Leaves[60].Key.Decrement();

        var range = RangeProver.Create(trie.Store, trie.Root, trie.Leaves[50].Key, limit, 1000);

        Assert.Equal(trie.Leaves[50..61].Select(l => l.Key), range.Leaves.Select(l => l.Key));
        Assert.Equal(RangeProofResult.Valid(hasMore: true), RangeProofVerifier.Verify(trie.Root, trie.Leaves[50].Key, range.Leaves, range.Proof));
    }

    [Fact]
    public void Stops_once_the_value_budget_is_spent_but_returns_at_least_one_leaf()
    {
        var trie = TestTrie.Random(new Random(32), 300);

        var one = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 1000, maxValueBytes: 1);
        var some = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 1000, maxValueBytes: 2000);

        Assert.Single(one.Leaves);
        long spentBeforeLast = some.Leaves.SkipLast(1).Sum(l => l.Value.Length + 32L);
        Assert.InRange(spentBeforeLast, 0, 1999);
        Assert.True(some.Leaves.Sum(l => l.Value.Length + 32L) >= 2000);
    }

    [Fact]
    public void Omits_the_proof_only_for_the_whole_trie()
    {
        var trie = TestTrie.Random(new Random(33), 100);

        var whole = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 100, omitProofForWholeTrie: true);
        var partial = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 99, omitProofForWholeTrie: true);
        var fromMiddle = RangeProver.Create(trie.Store, trie.Root, trie.Leaves[1].Key, Hash256.MaxValue, 100, omitProofForWholeTrie: true);

        Assert.Null(whole.Proof);
        Assert.Equal(100, whole.Leaves.Count);
        Assert.NotNull(partial.Proof);
        Assert.NotNull(fromMiddle.Proof);
    }

    [Fact]
    public void Proves_an_absent_origin_and_the_last_key_without_duplicate_nodes()
    {
        var trie = TestTrie.Random(new Random(34), 2000);
        Hash256 origin = trie.Leaves[500].Key.Decrement();

        var range = RangeProver.Create(trie.Store, trie.Root, origin, Hash256.MaxValue, 10);

        Assert.Equal(trie.Leaves[500].Key, range.Leaves[0].Key);
        Assert.Equal(range.Proof!.Count, range.Proof.Select(Convert.ToHexString).Distinct().Count());
        Assert.True(MerkleProof.Verify(trie.Root, origin.ToArray(), range.Proof).IsValid);
        Assert.True(MerkleProof.Verify(trie.Root, range.Leaves[^1].Key.ToArray(), range.Proof).Exists);
    }

    [Fact]
    public void Serves_an_empty_range_for_the_empty_trie()
    {
        var trie = new TestTrie([]);

        var range = RangeProver.Create(trie.Store, trie.Root, Hash256.Zero, Hash256.MaxValue, 10);

        Assert.Empty(range.Leaves);
        Assert.Equal(RangeProofResult.Valid(false), RangeProofVerifier.Verify(trie.Root, Hash256.Zero, range.Leaves, range.Proof));
    }
}
