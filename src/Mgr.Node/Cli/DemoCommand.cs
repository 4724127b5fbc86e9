using System.CommandLine;
using System.Runtime.InteropServices;
using Mgr.Node.Demo;
using Mgr.Node.Devnet;
using Mgr.Node.Progress;
using Mgr.Node.Storage;
using Spectre.Console;

namespace Mgr.Node.Cli;

/// <summary><c>mgr demo</c>: the one-command local swarm (spec/cli.md): a devnet, a producer, a seeder and N leechers as
/// separate processes on 127.0.0.1, live progress, then a table (or <c>--json</c>) of what each node ended with.
/// Exit 0 when every leecher synced to the expected root, 1 when not (or a child failed), 2 on bad arguments.</summary>
internal static class DemoCommand
{
    // Wide enough for the table's root column when stdout is a file or pipe (Spectre would assume 80).
    private const int RedirectedTableWidth = 140;

    public static Command Create()
    {
        var defaults = new DemoSettings();
        var accounts = new Option<long>("--accounts") { Description = "Externally owned accounts in the devnet.", DefaultValueFactory = _ => defaults.Accounts };
        var contracts = new Option<long>("--contracts") { Description = "Contracts (code + storage) in the devnet.", DefaultValueFactory = _ => defaults.Contracts };
        var leechers = new Option<int>("--leechers") { Description = "Leecher processes to start.", DefaultValueFactory = _ => defaults.Leechers };
        var seconds = new Option<double>("--seconds-per-block") { Description = "Time between produced blocks.", DefaultValueFactory = _ => defaults.SecondsPerBlock };
        var lag = new Option<ulong>("--finality-lag") { Description = "Blocks between head and finalized.", DefaultValueFactory = _ => defaults.FinalityLag };
        var epoch = new Option<ulong>("--epoch-length") { Description = "MGR epoch length in blocks (small: the pivot moves during the demo).", DefaultValueFactory = _ => defaults.EpochLength };
        var workdir = new Option<string>("--workdir") { Description = "Directory for the devnet (reused per parameter set) and the run's node directories.", DefaultValueFactory = _ => defaults.WorkDirectory };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for every leecher to sync before failing.", DefaultValueFactory = _ => defaults.Timeout.TotalSeconds };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document (progress goes to stderr)." };
        var keep = new Option<bool>("--keep") { Description = "Keep the node directories and logs after a successful run." };
        var mgr = new Option<string?>("--mgr") { Description = "Executable to start as the producer and every node (default: this mgr), e.g. another build." };
        var command = new Command("demo", CommandHelp.Describe("Run a local swarm: devnet producer, one seeder and N leechers as separate processes, then show what each synced.", "mgr demo", "mgr demo --leechers 8 --accounts 100000 --json", "mgr demo --seconds-per-block 1 --epoch-length 16 --keep"))
        {
            accounts, contracts, leechers, seconds, lag, epoch, workdir, timeout, json, keep, mgr,
        };
        command.SetAction((parseResult, cancellation) =>
        {
            DemoSettings settings;
            try
            {
                double timeoutSeconds = parseResult.GetValue(timeout);
                if (!(timeoutSeconds is > 0 and <= 86_400)) throw new ArgumentException($"--timeout must be in (0, 86400] seconds, not {timeoutSeconds}.");
                settings = new DemoSettings
                {
                    Accounts = parseResult.GetValue(accounts), Contracts = parseResult.GetValue(contracts), Leechers = parseResult.GetValue(leechers),
                    SecondsPerBlock = parseResult.GetValue(seconds), FinalityLag = parseResult.GetValue(lag), EpochLength = parseResult.GetValue(epoch),
                    WorkDirectory = Path.GetFullPath(parseResult.GetValue(workdir)!), Timeout = TimeSpan.FromSeconds(timeoutSeconds),
                    Keep = parseResult.GetValue(keep),
                };
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"mgr demo: {e.Message}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            string? mgrPath = parseResult.GetValue(mgr);
            if (mgrPath is not null && !File.Exists(mgrPath))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"mgr demo: --mgr '{mgrPath}': no such file");
                return Task.FromResult(ExitCodes.BadInput);
            }
            MgrExecutable executable = mgrPath is null ? MgrExecutable.Current() : new MgrExecutable(Path.GetFullPath(mgrPath), []);
            return RunAsync(parseResult, settings, executable, parseResult.GetValue(json), cancellation);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, DemoSettings settings, MgrExecutable executable, bool json, CancellationToken cancellation)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        bool bars = !json && ProgressDisplay.IsInteractive;
        var runner = new DemoRunner(settings, executable, message => error.WriteLine($"demo: {message}"));
        DemoResult result;
        try
        {
            result = await runner.RunAsync(
                bars ? (r, ct) => DemoProgress.RunBarsAsync(AnsiConsole.Console, r, ct) : (r, ct) => DemoProgress.RunLinesAsync(error, r, ct),
                stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DemoException or DevnetException or StorageException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mgr demo: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failure;
        }
        if (json)
        {
            output.WriteLine(System.Text.Encoding.UTF8.GetString(result.ToJson()));
            output.Flush();
        }
        else
        {
            bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            IAnsiConsole console = terminal
                ? AnsiConsole.Console
                : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            if (!terminal) console.Profile.Width = RedirectedTableWidth;
            DemoTable.Write(console, result);
        }
        return result.Success ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
