using System.CommandLine;
using Mgr.Node.Cli;

namespace Mgr.Node.Tests.Cli;

/// <summary>Runs `mgr` in-process with every catalogued command, capturing stdout, stderr and the exit code.</summary>
public static class InProcessMgr
{
    public static CliRun Run(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (Command command in CommandCatalog.All()) root.Subcommands.Add(command);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };

        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A temporary file with <paramref name="content"/>, deleted by the returned handle.</summary>
    public static TempFile WriteTemp(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), "mgr-cli-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, content);
        return new TempFile(path);
    }
}
