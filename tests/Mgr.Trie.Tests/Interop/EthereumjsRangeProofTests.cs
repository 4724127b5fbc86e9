using System.Text.Json;
using System.Text.Json.Nodes;
using Mgr.Trie.Crypto;
using Mgr.Trie.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Interop;

public class EthereumjsRangeProofTests
{
    [Fact]
    public void Range_proofs_made_by_either_side_get_the_same_verdict_from_both_including_mutated_ones()
    {
        List<Scenario> scenarios = Scenarios();
        List<TestTrie> tries = [.. scenarios.Select(s => s.Trie).Distinct()];
        IReadOnlyList<JsonElement> theirProofs = EthereumjsOracle.Ask([.. tries.Select(t => new JsonObject
        {
            ["op"] = "rangeProofs",
            ["entries"] = new JsonArray([.. t.Leaves.Select(l => (JsonNode)new JsonArray(l.Key.ToString(), EthereumjsOracle.Hex(l.Value.Span)))]),
            ["ranges"] = new JsonArray([.. scenarios.Where(s => s.Trie == t).Select(s => (JsonNode)new JsonObject { ["origin"] = s.Origin.ToString(), ["count"] = s.Count })]),
        })]);

        var cases = new List<RangeCase>();
        for (int t = 0; t < tries.Count; t++)
        {
            Assert.Equal(tries[t].Root, Hash256.Parse(theirProofs[t].GetProperty("root").GetString()!));
            List<JsonElement> proofs = [.. theirProofs[t].GetProperty("proofs").EnumerateArray()];
            List<Scenario> ofTrie = [.. scenarios.Where(s => s.Trie == tries[t])];
            for (int i = 0; i < ofTrie.Count; i++)
            {
                Scenario scenario = ofTrie[i];
                RangeProof ours = RangeProver.Create(scenario.Trie.Store, scenario.Trie.Root, scenario.Origin, Hash256.MaxValue, Math.Max(1, scenario.Count));
                RangeCase theirs = FromOracle(scenario, proofs[i]);
                Assert.Equal(ours.Leaves.Select(l => l.Key), theirs.Leaves.Select(l => l.Key));
                var oursCase = new RangeCase($"{scenario.Name}, our proof", scenario.Trie.Root, scenario.Origin, [.. ours.Leaves], [.. ours.Proof!], Honest: true);
                cases.Add(oursCase);
                cases.Add(theirs);
                cases.AddRange(Mutations(oursCase, scenario.Trie));
                cases.AddRange(Mutations(theirs, scenario.Trie));
            }
        }
        foreach (TestTrie trie in tries)
        {
            cases.Add(new RangeCase($"{trie.Name}, whole trie without proof", trie.Root, Hash256.Zero, [.. trie.Leaves], null, Honest: true));
            if (trie.Leaves.Count > 1)
                cases.Add(new RangeCase($"{trie.Name}, whole trie without proof, a leaf missing", trie.Root, Hash256.Zero, [.. trie.Leaves.Skip(1)], null, Honest: false));
        }

        IReadOnlyList<JsonElement> verdicts = EthereumjsOracle.Ask([.. cases.Select(c => new JsonObject
        {
            ["op"] = "verifyRange",
            ["root"] = c.Root.ToString(),
            ["origin"] = c.Origin.ToString(),
            ["keys"] = new JsonArray([.. c.Leaves.Select(l => (JsonNode)l.Key.ToString())]),
            ["values"] = new JsonArray([.. c.Leaves.Select(l => (JsonNode)EthereumjsOracle.Hex(l.Value.Span))]),
            ["proof"] = c.Proof is null ? null : new JsonArray([.. c.Proof.Select(n => (JsonNode)EthereumjsOracle.Hex(n))]),
        })]);

        var disagreements = new List<string>();
        int invalid = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            RangeCase c = cases[i];
            RangeProofResult ours = RangeProofVerifier.Verify(c.Root, c.Origin, c.Leaves, c.Proof);
            bool theirValid = verdicts[i].GetProperty("valid").GetBoolean();
            bool theirMore = verdicts[i].GetProperty("hasMore").GetBoolean();
            if (IsKnownEthereumjsMistake(c))
            {
                if (ours.IsValid) disagreements.Add($"{c.Name}: accepted an empty range that hides the trie's only leaf");
            }
            else if (ours.IsValid != theirValid || ours.IsValid && ours.HasMore != theirMore)
            {
                disagreements.Add($"{c.Name}: ours {ours}, ethereumjs {verdicts[i]}");
            }
            if (c.Honest && !ours.IsValid) disagreements.Add($"{c.Name}: an honest proof was rejected ({ours.Error})");
            if (!ours.IsValid) invalid++;
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        Assert.True(invalid > cases.Count / 3, $"only {invalid} of {cases.Count} cases were invalid: the mutations are not biting");
    }

    // @ethereumjs 10.1.3 accepts an empty range (with a proof) whose origin lies before the only leaf of a
    // trie whose root is that leaf: its hasRightElement walk answers "nothing to the right" on reaching any
    // leaf without comparing the leaf's key. The range hides a leaf, so the right verdict is "invalid"; we
    // check ours says so instead of comparing.
    private static bool IsKnownEthereumjsMistake(RangeCase c) =>
        c.Proof is [byte[] only] && c.Leaves.Count == 0 && Keccak256.Compute(only) == c.Root
        && NodeCodec.Decode(only) is LeafNode { Path.Length: 64 } root && new Hash256(root.Path.ToBytes()) > c.Origin;

    private sealed record TestTrie(string Name, Hash256 Root, MemoryNodeStore Store, List<TrieLeaf> Leaves);

    private sealed record Scenario(string Name, TestTrie Trie, Hash256 Origin, int Count);

    private sealed record RangeCase(string Name, Hash256 Root, Hash256 Origin, List<TrieLeaf> Leaves, List<byte[]>? Proof, bool Honest);

    private static List<Scenario> Scenarios()
    {
        var scenarios = new List<Scenario>();
        int seed = 100;
        foreach (int size in new[] { 1, 2, 10, 200, 5000 })
        {
            var random = new Random(++seed);
            TestTrie trie = Build($"{size}-leaf trie", random, size);
            List<TrieLeaf> leaves = trie.Leaves;
            Hash256 middle = leaves[leaves.Count / 2].Key;
            // Each case is rebuilt leaf by leaf in @ethereumjs (~0.1 ms a leaf), so long ranges stay few.
            scenarios.Add(new($"{trie.Name}, from zero, up to 500 leaves", trie, Hash256.Zero, Math.Min(size, 500)));
            scenarios.Add(new($"{trie.Name}, from zero, one leaf", trie, Hash256.Zero, 1));
            scenarios.Add(new($"{trie.Name}, from an existing key, 7 leaves", trie, middle, 7));
            scenarios.Add(new($"{trie.Name}, from just after a key, 3 leaves", trie, middle.Increment(), 3));
            scenarios.Add(new($"{trie.Name}, from a random key, 40 leaves", trie, RandomKey(random), 40));
            scenarios.Add(new($"{trie.Name}, from the last key", trie, leaves[^1].Key, 5));
            scenarios.Add(new($"{trie.Name}, past the last key, no leaves", trie, leaves[^1].Key.Increment(), 0));
            scenarios.Add(new($"{trie.Name}, from 0xff…ff", trie, Hash256.MaxValue, 0));
        }
        return scenarios;
    }

    private static IEnumerable<RangeCase> Mutations(RangeCase honest, TestTrie trie)
    {
        List<TrieLeaf> leaves = honest.Leaves;
        int mid = leaves.Count / 2;
        RangeCase Bad(string what, List<TrieLeaf>? l = null, List<byte[]>? p = null, Hash256? root = null) =>
            honest with { Name = $"{honest.Name}, {what}", Leaves = l ?? leaves, Proof = p ?? honest.Proof, Root = root ?? honest.Root, Honest = false };

        if (leaves.Count > 0)
        {
            yield return Bad("a value modified", With(leaves, mid, leaves[mid] with { Value = Flip(leaves[mid].Value) }));
            yield return Bad("a value emptied", With(leaves, mid, leaves[mid] with { Value = ReadOnlyMemory<byte>.Empty }));
            yield return Bad("a leaf duplicated", [.. leaves.Take(mid + 1), leaves[mid], .. leaves.Skip(mid + 1)]);
            yield return Bad("every leaf dropped", []);
            yield return Bad("the wrong root", root: Hash256.Parse("0x0102030405060708091011121314151617181920212223242526272829303132"));
            Hash256 shifted = leaves[mid].Key.Increment();
            if (mid + 1 == leaves.Count || shifted < leaves[mid + 1].Key) yield return Bad("a key modified", With(leaves, mid, leaves[mid] with { Key = shifted }));
            int next = trie.Leaves.FindIndex(l => l.Key == leaves[^1].Key) + 1;
            if (next < trie.Leaves.Count) yield return Bad("the next leaf appended", [.. leaves, trie.Leaves[next]]);
        }
        if (leaves.Count > 1)
        {
            yield return Bad("two leaves swapped", With(With(leaves, 0, leaves[1]), 1, leaves[0]));
            yield return Bad("the last leaf dropped", [.. leaves.SkipLast(1)]);
            yield return Bad("the first leaf dropped", [.. leaves.Skip(1)]);
        }
        if (leaves.Count > 2) yield return Bad("a middle leaf dropped", [.. leaves.Where((_, i) => i != mid)]);
        if (honest.Proof is { Count: > 0 } proof)
        {
            for (int i = 0; i < proof.Count; i++) yield return Bad($"proof node {i} removed", p: [.. proof.Where((_, j) => j != i)]);
            yield return Bad("an unrelated node added", p: [.. proof, UnrelatedNode()]) with { Honest = true };
            yield return Bad("a proof node modified", p: [.. proof.Select((n, i) => i == proof.Count - 1 ? Flip(n).ToArray() : n)]);
        }
    }

    // A well-formed leaf node (64-nibble path, 32-byte value) that belongs to no trie here.
    private static byte[] UnrelatedNode() => [0xf8, 0x43, 0xa1, 0x20, .. Enumerable.Repeat((byte)0x5a, 32), 0xa0, .. Enumerable.Repeat((byte)0x07, 32)];

    private static List<TrieLeaf> With(List<TrieLeaf> leaves, int index, TrieLeaf leaf)
    {
        var copy = new List<TrieLeaf>(leaves);
        copy[index] = leaf;
        return copy;
    }

    private static ReadOnlyMemory<byte> Flip(ReadOnlyMemory<byte> value)
    {
        byte[] copy = value.ToArray();
        copy[^1] ^= 0x01;
        return copy;
    }

    private static RangeCase FromOracle(Scenario scenario, JsonElement answer)
    {
        List<string> keys = [.. answer.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];
        List<string> values = [.. answer.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)];
        List<TrieLeaf> leaves = [.. keys.Select((k, i) => new TrieLeaf(Hash256.Parse(k), Convert.FromHexString(values[i][2..])))];
        List<byte[]> proof = [.. answer.GetProperty("proof").EnumerateArray().Select(n => Convert.FromHexString(n.GetString()![2..]))];
        return new RangeCase($"{scenario.Name}, ethereumjs proof", scenario.Trie.Root, scenario.Origin, leaves, proof, Honest: true);
    }

    private static TestTrie Build(string name, Random random, int size)
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        var leaves = new SortedDictionary<Hash256, byte[]>();
        while (leaves.Count < size)
        {
            var value = new byte[random.Next(1, 70)];
            random.NextBytes(value);
            leaves[RandomKey(random)] = value;
        }
        foreach ((Hash256 key, byte[] value) in leaves) trie.Set(key.ToArray(), value);
        return new TestTrie(name, trie.Commit(), store, [.. leaves.Select(l => new TrieLeaf(l.Key, l.Value))]);
    }

    private static Hash256 RandomKey(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
