using System.CommandLine;
using Mgr.Node.Cli;

namespace Mgr.Node.Tests.Cli;

public sealed class CommandHelpTests
{
    public static TheoryData<string> RunnableCommands()
    {
        var names = new TheoryData<string>();
        foreach (Command command in CommandCatalog.All()) Collect(command, command.Name, names);
        return names;
    }

    [Theory]
    [MemberData(nameof(RunnableCommands))]
    public void Every_runnable_command_shows_examples_in_its_help(string path)
    {
        CliRun run = InProcessMgr.Run([.. path.Split(' '), "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(CommandHelp.ExamplesHeading, run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"mgr {path}", run.Stdout, StringComparison.Ordinal);
    }

    private static void Collect(Command command, string path, TheoryData<string> names)
    {
        if (command.Subcommands.Count == 0) names.Add(path);
        foreach (Command sub in command.Subcommands) Collect(sub, $"{path} {sub.Name}", names);
    }
}
