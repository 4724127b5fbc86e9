using BenchmarkDotNet.Attributes;
using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Bench.Trie;

/// <summary>Verifying a 1,000-leaf snap range proof (from a 100,000-leaf trie, origin absent) against building
/// the root of those 1,000 leaves with the stack builder (the Baseline). Goal: Ratio ≤ 1.5.</summary>
[MemoryDiagnoser]
public class RangeProofBenchmarks
{
    private Hash256 _root;
    private Hash256 _origin;
    private IReadOnlyList<TrieLeaf> _leaves = [];
    private IReadOnlyList<byte[]> _proof = [];

    [GlobalSetup]
    public void Setup()
    {
        TrieLeaf[] all = TrieBenchLeaves.Generate(100_000);
        var store = new MemoryNodeStore();
        var builder = new StackTrieBuilder(store);
        foreach (TrieLeaf leaf in all) builder.Add(leaf.Key, leaf.Value.Span);
        _root = builder.Finish();
        _origin = all[40_000].Key.Decrement();
        RangeProof range = RangeProver.Create(store, _root, _origin, Hash256.MaxValue, 1000);
        _leaves = range.Leaves;
        _proof = range.Proof!;
        RangeProofResult check = RangeProofVerifier.Verify(_root, _origin, _leaves, _proof);
        if (!check.IsValid || !check.HasMore) throw new InvalidOperationException($"Bench proof did not verify: {check}.");
        Console.WriteLine($"// {_leaves.Count} leaves, {_proof.Count} proof nodes ({_proof.Sum(p => p.Length)} bytes)");
    }

    [Benchmark(Baseline = true)]
    public Hash256 BuildRootOfTheLeaves()
    {
        var builder = new StackTrieBuilder();
        foreach (TrieLeaf leaf in _leaves) builder.Add(leaf.Key, leaf.Value.Span);
        return builder.Finish();
    }

    [Benchmark]
    public RangeProofResult VerifyRangeProof() => RangeProofVerifier.Verify(_root, _origin, _leaves, _proof);
}
