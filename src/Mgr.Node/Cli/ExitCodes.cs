namespace Mgr.Node.Cli;

/// <summary>The exit codes every `mgr` command uses (spec/cli.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>A runtime failure: I/O, a port in use, a store that cannot be opened, a sync that aborted.</summary>
    public const int Failure = 1;

    /// <summary>Bad input or usage: malformed arguments, files or data; nothing was changed.</summary>
    public const int BadInput = 2;
}
