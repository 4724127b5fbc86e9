using System.CommandLine;

namespace Mgr.Node.Cli;

/// <summary>Every subcommand of `mgr`, in the order `mgr --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return RlpCommand.Create();
    }
}
