namespace Mgr.Node.Tests.Cli;

/// <summary>The outcome of one in-process `mgr` run.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when stderr is exactly one non-empty line.</summary>
    public bool StderrIsOneLine => Stderr.Length > 1 && Stderr.EndsWith('\n') && Stderr.IndexOf('\n', StringComparison.Ordinal) == Stderr.Length - 1;
}
