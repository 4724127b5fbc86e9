using System.CommandLine;
using System.Runtime.InteropServices;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Cli;

/// <summary><c>mgr node --listen &lt;multiaddr&gt;… [--datadir &lt;dir&gt;]</c>: runs a libp2p host (TCP, Noise, Yamux)
/// that answers Identify and Ping, prints each full listen address (<c>…/p2p/&lt;peerId&gt;</c>) on its own stdout line,
/// and shuts down cleanly on SIGINT/SIGTERM (see spec/cli.md). Logs go to stderr.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var listen = new Option<string[]>("--listen")
        {
            Description = "Multiaddr to listen on, e.g. /ip4/127.0.0.1/tcp/4001 (repeatable; port 0 picks a free port).",
            Required = true,
        };
        var dataDir = new Option<string?>("--datadir")
        {
            Description = "Node data directory; the identity key is kept in <datadir>/node.key (created on first run). Without it the key lives only for this run.",
        };
        var command = new Command("node", "Run a libp2p node that answers Identify and Ping.") { listen, dataDir };
        command.SetAction((parseResult, cancellation) =>
            RunAsync(parseResult, parseResult.GetValue(listen)!, parseResult.GetValue(dataDir), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string[] listenTexts, string? dataDir, CancellationToken cancellation)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        var addresses = new List<Multiaddr>();
        foreach (string text in listenTexts)
        {
            try
            {
                addresses.Add(Multiaddr.Parse(text));
            }
            catch (MultiaddrException e)
            {
                error.WriteLine($"mgr node: invalid --listen '{text}': {e.Reason}: {e.Message}");
                return CliInput.InvalidInputExitCode;
            }
        }

        IdentityKey identity;
        try
        {
            identity = dataDir is null ? Secp256k1IdentityKey.Generate() : NodeKeyFile.LoadOrCreate(Path.Combine(dataDir, NodeKeyFile.FileName));
        }
        catch (NodeKeyFileException e)
        {
            error.WriteLine($"mgr node: {e.Message.ReplaceLineEndings(" ")}");
            return e.Reason == NodeKeyFileError.Io ? 1 : CliInput.InvalidInputExitCode;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using ILoggerFactory logging = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
        using (identity)
        {
            var host = new Libp2pHost(identity, logger: logging.CreateLogger("mgr.node"));
            await using (host.ConfigureAwait(false))
            {
                try
                {
                    foreach (Multiaddr address in addresses) output.WriteLine(host.Listen(address).WithPeerId(host.PeerId));
                    output.Flush();
                }
                catch (HostException e)
                {
                    error.WriteLine($"mgr node: {e.Message.ReplaceLineEndings(" ")}");
                    return e.Reason == HostError.UnsupportedAddress ? CliInput.InvalidInputExitCode : 1;
                }
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT/SIGTERM: fall through to the graceful shutdown of the host.
                }
            }
        }
        return CliInput.SuccessExitCode;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
