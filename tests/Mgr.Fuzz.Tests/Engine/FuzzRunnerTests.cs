using Mgr.Fuzz.Engine;

namespace Mgr.Fuzz.Tests.Engine;

public sealed class FuzzRunnerTests
{
    [Fact]
    public void Reports_an_undocumented_exception_as_a_crash_with_its_input()
    {
        var target = new TrapTarget(input => input.Length > 3 && input[0] == 0xc0 ? throw new InvalidOperationException("trap") : "ok");

        FuzzReport report = new FuzzRunner(target, new FuzzOptions { Seed = 3, Iterations = 20_000, StopAtFirstFinding = true }).Run();

        FuzzFinding finding = Assert.Single(report.Findings);
        Assert.Equal(FindingKind.Crash, finding.Kind);
        Assert.StartsWith("InvalidOperationException@", finding.Key, StringComparison.Ordinal);
        Assert.Equal(0xc0, finding.Input[0]);
    }

    [Fact]
    public void Documented_failures_are_verdicts_not_findings()
    {
        var target = new TrapTarget(input => input.Length % 2 == 0 ? throw new FormatException("documented") : "odd");

        FuzzReport report = new FuzzRunner(target, new FuzzOptions { Seed = 3, Iterations = 2_000 }).Run();

        Assert.Empty(report.Findings);
        Assert.True(report.DistinctVerdicts >= 2);
    }

    [Fact]
    public void Reports_an_allocation_out_of_proportion_to_the_input()
    {
        var target = new TrapTarget(input => input.Length > 0 && input[^1] == 0xff ? new byte[1 << 20].Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "small");

        FuzzReport report = new FuzzRunner(target, new FuzzOptions { Seed = 5, Iterations = 50_000, StopAtFirstFinding = true }).Run();

        Assert.Equal(FindingKind.Allocation, Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public void Reports_an_input_that_never_finishes_as_a_hang()
    {
        var target = new TrapTarget(input =>
        {
            // Stuck well past the 300 ms bound, then let go so the abandoned worker does not hold a core.
            if (input.Length > 0 && input[0] == 0x42) Thread.Sleep(2000);
            return "done";
        }, timeBound: TimeSpan.FromMilliseconds(300));

        FuzzReport report = new FuzzRunner(target, new FuzzOptions { Seed = 1, Iterations = 100_000 }).Run();

        Assert.Equal(FindingKind.Hang, Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public void The_same_seed_runs_the_same_mutants()
    {
        var first = new List<string>();
        var second = new List<string>();

        new FuzzRunner(new TrapTarget(input => { first.Add(Convert.ToHexString(input)); return "ok"; }), new FuzzOptions { Seed = 9, Iterations = 500 }).Run();
        new FuzzRunner(new TrapTarget(input => { second.Add(Convert.ToHexString(input)); return "ok"; }), new FuzzOptions { Seed = 9, Iterations = 500 }).Run();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Structure_aware_mutations_never_fail_on_odd_rlp()
    {
        var target = new TrapTarget(_ => "ok");

        FuzzReport report = new FuzzRunner(target, new FuzzOptions { Seed = 2, Iterations = 30_000 }).Run();

        Assert.Equal(30_000 + 2, report.Executions);
    }

    private sealed class TrapTarget(Func<byte[], string> execute, TimeSpan? timeBound = null) : FuzzTarget
    {
        public override string Name => "trap";

        public override InputFormat Format => InputFormat.Rlp;

        public override AllocationBudget Budget => new(64 * 1024, 8);

        public override TimeSpan TimeBound => timeBound ?? base.TimeBound;

        public override IEnumerable<byte[]> Seeds() => [[0xc2, 0x01, 0x02], [0x83, 0x61, 0x62, 0x63]];

        public override string Execute(byte[] input) => execute(input);

        public override string? Classify(Exception error) => error is FormatException ? "format" : null;
    }
}
