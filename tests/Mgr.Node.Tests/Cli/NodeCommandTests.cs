using System.Diagnostics;
using Mgr.Protocol.Addressing;
using Mgr.Protocol.Host;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.Ping;

namespace Mgr.Node.Tests.Cli;

public sealed class NodeCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("mgr-node-").FullName;

    [Theory]
    [InlineData("/ip4/127.0.0.1/udp/4001")]
    [InlineData("/ip4/300.0.0.1/tcp/4001")]
    [InlineData("127.0.0.1:4001")]
    public void Rejects_a_malformed_listen_address(string listen)
    {
        CliRun run = InProcessMgr.Run("node", "--listen", listen);

        Assert.Equal(2, run.ExitCode);
        Assert.True(run.StderrIsOneLine);
        Assert.StartsWith($"mgr node: --listen: '{listen}' is not a multiaddr", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void Refuses_a_malformed_key_file_without_overwriting_it()
    {
        string keyPath = Path.Combine(_dataDir, NodeKeyFile.FileName);
        File.WriteAllText(keyPath, "not a key");

        CliRun run = InProcessMgr.Run("node", "--listen", "/ip4/127.0.0.1/tcp/0", "--datadir", _dataDir);

        Assert.Equal(2, run.ExitCode);
        Assert.True(run.StderrIsOneLine);
        Assert.Contains("not a libp2p private key", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("not a key", File.ReadAllText(keyPath));
    }

    [Fact]
    public async Task Prints_its_full_address_answers_identify_and_ping_keeps_its_id_and_stops_on_sigterm()
    {
        (Process first, Multiaddr address) = await StartNodeAsync();
        await using (var client = new Libp2pHost(Secp256k1IdentityKey.Generate()))
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            PeerConnection connection = await client.DialAsync(address, timeout.Token);
            IdentifyMessage identify = await IdentifyService.RequestAsync(connection, timeout.Token);
            IReadOnlyList<TimeSpan> pings = await PingService.PingAsync(connection, 2, timeout.Token);

            Assert.Contains(PingProtocol.ProtocolId, identify.Protocols);
            Assert.Equal(2, pings.Count);
        }
        int firstExit = await StopAsync(first);
        (Process second, Multiaddr again) = await StartNodeAsync();
        int secondExit = await StopAsync(second);

        Assert.Equal(0, firstExit);
        Assert.Equal(0, secondExit);
        Assert.NotNull(address.PeerId);
        Assert.Equal(address.PeerId, again.PeerId);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private async Task<(Process Process, Multiaddr Address)> StartNodeAsync()
    {
        string mgr = typeof(Mgr.Node.Cli.MgrCommand).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[mgr, "node", "--listen", "/ip4/127.0.0.1/tcp/0", "--datadir", _dataDir]) start.ArgumentList.Add(arg);
        Process process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(line);
        return (process, Multiaddr.Parse(line));
    }

    private static async Task<int> StopAsync(Process process)
    {
        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        int exit = process.ExitCode;
        process.Dispose();
        return exit;
    }
}
