using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Targets.Node;

namespace Mgr.Fuzz.Tests.Targets;

/// <summary>The chunk targets start from chunks and diffs that verify, so the fuzzer explores near the accept path and
/// the soundness oracle is live; a seed with one byte of a leaf value changed is rejected.</summary>
public sealed class ChunkTargetTests
{
    public static TheoryData<string> Names() => ["chunk-state-data", "chunk-diff"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_seed_verifies_against_the_fixture_state(string name)
    {
        FuzzTarget target = Mgr.Fuzz.Targets.TargetCatalog.Find(name)!;
        List<byte[]> seeds = [.. target.Seeds()];

        Assert.True(seeds.Count >= 20, $"{seeds.Count} seeds");
        Assert.All(seeds, seed => Assert.Equal("None:None", target.Execute(seed)));
    }

    [Fact]
    public void A_state_data_seed_with_a_changed_leaf_value_is_rejected_not_accepted()
    {
        var target = new StateDataVerifierTarget();
        byte[] seed = target.Seeds().First(seed => seed.Length > 600);
        byte[] mutant = (byte[])seed.Clone();
        mutant[^400] ^= 0x01; // in the entries or the proof: rejected by decoding or by verification, never accepted

        string verdict;
        try
        {
            verdict = target.Execute(mutant);
        }
        catch (Exception error) when (target.Classify(error) is { } reason)
        {
            verdict = reason;
        }

        Assert.NotEqual("None:None", verdict);
    }
}
