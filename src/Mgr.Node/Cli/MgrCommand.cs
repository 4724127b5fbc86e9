using System.CommandLine;
using System.CommandLine.Parsing;

namespace Mgr.Node.Cli;

/// <summary>The root of the `mgr` command line: builds the command tree and runs it.</summary>
public static class MgrCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("mgr — a Merry-Go-Round state-sync node for Ethereum-style chains.");
        foreach (Command command in CommandCatalog.All()) root.Subcommands.Add(command);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Usage errors are bad input: exit 2 with the parser's reasons (spec/cli.md, exit codes).
            foreach (ParseError error in parsed.Errors) await Console.Error.WriteLineAsync($"mgr: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Run 'mgr --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
