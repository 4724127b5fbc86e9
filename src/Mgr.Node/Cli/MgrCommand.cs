using System.CommandLine;

namespace Mgr.Node.Cli;

/// <summary>The root of the `mgr` command line: builds the command tree and runs it.</summary>
public static class MgrCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("mgr — a Merry-Go-Round state-sync node for Ethereum-style chains.");
        foreach (Command command in CommandCatalog.All()) root.Subcommands.Add(command);
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
