using System.Globalization;
using Mgr.Fuzz.Engine;
using Mgr.Fuzz.Targets;

// Long-run fuzzer: dotnet run -c Release --project tests/Mgr.Fuzz -- --target <name|all> --seconds N --seed S
//   [--iterations N] [--out DIR] [--corpus DIR] [--report-known] ; --list prints the targets; --write-corpus DIR writes every target's seeds.
// Known open bugs (Engine/KnownFindings.cs) are counted, not reported, unless --report-known is given.
// Exit code 0 when nothing was found, 1 when there are findings, 2 on bad arguments.
var arguments = args.ToList();
string? Option(string name)
{
    int index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
}

if (arguments.Contains("--list"))
{
    foreach (FuzzTarget target in TargetCatalog.All()) Console.WriteLine($"{target.Name,-22} {target.Format,-9} budget {target.Budget}");
    return 0;
}
if (Option("--write-corpus") is { } corpusOut)
{
    foreach (FuzzTarget target in TargetCatalog.All())
    {
        int n = 0;
        foreach (byte[] entry in target.Seeds()) CorpusFiles.Write(Path.Combine(corpusOut, target.Name), $"seed-{n++:D2}", entry, CorpusFiles.RawExtensionFor(target.Format));
    }
    return 0;
}

string targetName = Option("--target") ?? "all";
int seconds = int.Parse(Option("--seconds") ?? "60", CultureInfo.InvariantCulture);
int seed = int.Parse(Option("--seed") ?? "1", CultureInfo.InvariantCulture);
long iterations = long.Parse(Option("--iterations") ?? long.MaxValue.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
string corpus = Option("--corpus") ?? Path.Combine(AppContext.BaseDirectory, "corpus");
string? output = Option("--out");

List<FuzzTarget> targets = targetName == "all" ? [.. TargetCatalog.All()] : TargetCatalog.Find(targetName) is { } one ? [one] : [];
if (targets.Count == 0)
{
    await Console.Error.WriteLineAsync($"Unknown target '{targetName}'. Known: {string.Join(", ", TargetCatalog.All().Select(t => t.Name))}");
    return 2;
}

TimeSpan perTarget = TimeSpan.FromSeconds(Math.Max(1.0, seconds / (double)targets.Count));
int findings = 0;
foreach (FuzzTarget target in targets)
{
    var options = new FuzzOptions { Seed = seed, Duration = perTarget, Iterations = iterations, CorpusDirectory = corpus, OutputDirectory = output, KnownFindingKeys = arguments.Contains("--report-known") ? new HashSet<string>() : KnownFindings.Keys };
    FuzzReport report = new FuzzRunner(target, options).Run();
    Console.WriteLine(report);
    foreach (FuzzFinding finding in report.Findings) Console.WriteLine(finding);
    findings += report.Findings.Count;
}
Console.WriteLine(findings == 0 ? "No findings." : $"{findings} finding(s).");
return findings == 0 ? 0 : 1;
