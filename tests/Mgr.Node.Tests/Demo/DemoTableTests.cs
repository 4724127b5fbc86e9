using Mgr.Node.Demo;
using Mgr.Trie.Primitives;
using Spectre.Console;

namespace Mgr.Node.Tests.Demo;

public sealed class DemoTableTests
{
    private static readonly Hash256 Expected = Hash256.Parse("0x" + new string('1', 64));
    private static readonly Hash256 Other = Hash256.Parse("0x" + new string('2', 64));

    private static string Render(DemoResult result)
    {
        var text = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        console.Profile.Width = 160;
        DemoTable.Write(console, result);
        return text.ToString();
    }

    [Fact]
    public void Marks_a_leecher_with_another_root_and_says_why_the_demo_failed()
    {
        var result = new DemoResult(Expected, 16, 2048, 4096,
        [
            new DemoNodeResult("seeder", "seeder", Expected, false, true, null, 0, 4096, null, null),
            new DemoNodeResult("leecher-1", "leecher", Expected, true, true, 3.25, 2048, 0, 512, null),
            new DemoNodeResult("leecher-2", "leecher", Other, true, true, 4.0, 2048, 0, null, "state rebuilds 0x22…, header says 0x11…"),
        ], 12);

        string table = Render(result);

        string[] lines = table.Split('\n');
        Assert.Contains("✓", lines.Single(l => l.Contains("leecher-1", StringComparison.Ordinal) && l.Contains('│')), StringComparison.Ordinal);
        Assert.Contains("25.0%", lines.Single(l => l.Contains("leecher-1", StringComparison.Ordinal) && l.Contains('│')), StringComparison.Ordinal);
        Assert.Contains("✗", lines.Single(l => l.Contains("leecher-2", StringComparison.Ordinal) && l.Contains('│')), StringComparison.Ordinal);
        Assert.Contains("seeder egress 4 KiB = 2.00× the state", table, StringComparison.Ordinal);
        Assert.Contains("leecher-2: state rebuilds", table, StringComparison.Ordinal);
        Assert.Contains("demo failed: not every leecher ended with the expected root", table, StringComparison.Ordinal);
    }
}
