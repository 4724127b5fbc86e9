using System.CommandLine;

namespace Mgr.Node.Cli;

/// <summary>Every subcommand of `mgr`, in the order `mgr --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return RlpCommand.Create();
        yield return InitCommand.Create();
        yield return TrieCommand.Create();
        yield return HeaderCommand.Create();
        yield return NodeCommand.Create();
        yield return StatusCommand.Create();
        yield return RollbackCommand.Create();
        yield return DevnetCommand.Create();
        yield return SimCommand.Create();
        yield return DemoCommand.Create();
    }
}
