using System.CommandLine;
using System.Runtime.InteropServices;
using Mgr.Node.Configuration;
using Mgr.Node.Logging;
using Mgr.Node.NodeRuntime;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Cli;

/// <summary><c>mgr node</c>: runs the node (spec/cli.md). With <c>--genesis</c> it joins the chain's swarm — store,
/// Engine API, header and state sync or seeding, dashboard, metrics export; without it, it is a bare libp2p host that
/// answers Identify and Ping. Either way it prints each full listen address (<c>…/p2p/&lt;peerId&gt;</c>) on its own
/// stdout line once listening, logs to stderr, and shuts down cleanly on SIGINT/SIGTERM with all progress persisted.</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var options = new NodeOptions();
        var command = new Command("node", CommandHelp.Describe("Run a node: sync the state from the swarm (leecher) or serve it (seeder).", "mgr node --genesis genesis.json --datadir /var/lib/mgr --listen /ip4/0.0.0.0/tcp/4001 --bootnode /ip4/10.0.0.2/tcp/4001/p2p/16Uiu2HAm… --jwt-secret jwt.hex", "mgr node --role seeder --devnet /tmp/dn --genesis /tmp/dn/genesis.json --datadir /tmp/seeder --listen /ip4/127.0.0.1/tcp/4001 --dashboard 127.0.0.1:8080", "mgr node --config node.json --otlp-endpoint http://127.0.0.1:4317", "mgr node --listen /ip4/127.0.0.1/tcp/0   (no --genesis: a bare libp2p host answering Identify and Ping)"));
        options.AddTo(command);
        command.SetAction((parseResult, cancellation) => RunAsync(parseResult, options, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, NodeOptions options, CancellationToken cancellation)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        NodeSettings settings;
        try
        {
            settings = options.Load(parseResult, Environment.GetEnvironmentVariables());
        }
        catch (SettingsException e)
        {
            error.WriteLine($"mgr node: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using ILoggerFactory logging = NodeLogging.Create(settings.LogLevel, settings.LogFormat);
        try
        {
            return settings.Genesis is null
                ? await RunHostAsync(settings, logging, output, stop.Token).ConfigureAwait(false)
                : await RunNodeAsync(settings, logging, output, stop.Token).ConfigureAwait(false);
        }
        catch (NodeException e)
        {
            error.WriteLine($"mgr node: {e.Message.ReplaceLineEndings(" ")}");
            return e.ExitCode;
        }
    }

    private static async Task<int> RunNodeAsync(NodeSettings settings, ILoggerFactory logging, TextWriter output, CancellationToken stop)
    {
        MgrNode node = await MgrNode.StartAsync(settings, logging, stop).ConfigureAwait(false);
        await using (node.ConfigureAwait(false))
        {
            foreach (Multiaddr address in node.Addresses) output.WriteLine(address);
            output.Flush();
            await node.RunAsync(stop).ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }

    // No genesis: a libp2p host only (Identify, Ping), e.g. to check connectivity or interop.
    private static async Task<int> RunHostAsync(NodeSettings settings, ILoggerFactory logging, TextWriter output, CancellationToken stop)
    {
        IdentityKey identity;
        try
        {
            identity = settings.DataDir is null ? Secp256k1IdentityKey.Generate() : NodeKeyFile.LoadOrCreate(Path.Combine(settings.DataDir, NodeKeyFile.FileName));
        }
        catch (NodeKeyFileException e)
        {
            throw new NodeException(e.Message.ReplaceLineEndings(" "), e.Reason == NodeKeyFileError.Io ? ExitCodes.Failure : ExitCodes.BadInput, e);
        }
        using (identity)
        {
            var host = new Libp2pHost(identity, logger: logging.CreateLogger("mgr.node"));
            await using (host.ConfigureAwait(false))
            {
                try
                {
                    foreach (Multiaddr address in settings.Listen) output.WriteLine(host.Listen(address).WithPeerId(host.PeerId));
                    output.Flush();
                }
                catch (HostException e)
                {
                    throw new NodeException(e.Message.ReplaceLineEndings(" "), e.Reason == HostError.UnsupportedAddress ? ExitCodes.BadInput : ExitCodes.Failure, e);
                }
                try
                {
                    await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT/SIGTERM: fall through to the graceful shutdown of the host.
                }
            }
        }
        return ExitCodes.Ok;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
