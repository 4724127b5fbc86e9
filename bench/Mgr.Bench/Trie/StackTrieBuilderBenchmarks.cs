using BenchmarkDotNet.Attributes;
using Mgr.Trie.Building;
using Mgr.Trie.Crypto;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

namespace Mgr.Bench.Trie;

/// <summary>The stack builder's root over 1,000,000 leaves (32-byte keys, 70-byte values) against the raw
/// cost of the Keccak-f[1600] permutations it needs (counted by the builder, then replayed as that many
/// one-block <see cref="Keccak256.Hash"/> calls). Ratio = builder time / permutation time, so 1/Ratio is the
/// share of the build spent permuting; leaves/s = leaf count / builder mean.</summary>
/// <remarks>Goal: ≥ 1,000,000 leaves/s on one core, i.e. within ~1.6× of the Keccak bound.</remarks>
[Config(typeof(MacroConfig))]
[MemoryDiagnoser]
public class StackTrieBuilderBenchmarks
{
    private readonly byte[] _block = new byte[100]; // pads to one 136-byte block: exactly one permutation
    private readonly byte[] _digest = new byte[32];
    private TrieLeaf[] _leaves = [];
    private long _permutations;

    [GlobalSetup]
    public void Setup()
    {
        _leaves = TrieBenchLeaves.Generate(TrieBenchLeaves.Count(1_000_000));
        var builder = new StackTrieBuilder();
        foreach (TrieLeaf leaf in _leaves) builder.Add(leaf.Key, leaf.Value.Span);
        Hash256 root = builder.Finish();
        _permutations = builder.KeccakPermutations;
        Console.WriteLine($"// {_leaves.Length} leaves, root {root}: {builder.HashedNodes} hashed nodes, {_permutations} Keccak permutations ({(double)_permutations / _leaves.Length:F3} per leaf)");
    }

    [Benchmark(Baseline = true)]
    public byte[] KeccakPermutationsOnly()
    {
        for (long i = 0; i < _permutations; i++) Keccak256.Hash(_block, _digest);
        return _digest;
    }

    [Benchmark]
    public Hash256 StackBuilderRoot()
    {
        var builder = new StackTrieBuilder();
        foreach (TrieLeaf leaf in _leaves) builder.Add(leaf.Key, leaf.Value.Span);
        return builder.Finish();
    }

    private sealed class MacroConfig() : InProcessMacroConfig(warmupCount: 1, iterationCount: 5);
}
