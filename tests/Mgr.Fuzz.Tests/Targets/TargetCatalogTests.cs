using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Targets;
using Xunit.Abstractions;

namespace Mgr.Fuzz.Tests.Targets;

/// <summary>The short CI fuzz run: every target, a fixed seed, up to 2000 mutants (100 for stream targets) each.</summary>
public sealed class TargetCatalogTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (FuzzTarget target in TargetCatalog.All()) names.Add(target.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Fuzzing_finds_no_crash_hang_or_outsized_allocation(string name)
    {
        FuzzTarget target = TargetCatalog.Find(name)!;
        bool slow = target.AllocationScope == AllocationScope.Process;
        var options = new FuzzOptions
        {
            Seed = 11,
            Iterations = slow ? 100 : 2000,
            Duration = TimeSpan.FromSeconds(slow ? 2.5 : 1.5),
            CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "corpus"),
            StopAtFirstFinding = true,
            KnownFindingKeys = KnownFindings.Keys,
        };

        FuzzReport report = new FuzzRunner(target, options).Run();

        output.WriteLine(report.ToString());
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings));
        Assert.True(report.Executions > 0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_seed_is_accepted_or_fails_with_its_documented_error(string name)
    {
        FuzzTarget target = TargetCatalog.Find(name)!;

        foreach (byte[] seed in target.Seeds().Concat(CorpusFiles.Load(Path.Combine(AppContext.BaseDirectory, "corpus"), name)))
        {
            try
            {
                target.Execute(seed);
            }
            catch (Exception error) when (target.Classify(error) is not null)
            {
            }
        }
    }

    [Fact]
    public void Target_names_are_unique()
    {
        var names = TargetCatalog.All().Select(target => target.Name).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
