using System.Text.Json.Nodes;
using Mgr.Node.Cli;
using Mgr.Node.Devnet;
using Mgr.Node.Follow;
using Mgr.Node.Storage.RocksDb;
using Mgr.Node.Swarm;
using Mgr.Node.Tests.Devnet;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Cli;

public sealed class RollbackCommandTests
{
    [Fact]
    public async Task Rolls_a_devnet_store_back_prints_json_and_the_producer_then_replays_the_chain_log()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 30);

        CliRun run = InProcessMgr.Run("rollback", "--datadir", directory.Root, "--to", "20");

        Assert.Equal(0, run.ExitCode);
        JsonNode result = JsonNode.Parse(run.Stdout)!;
        using RocksDbStore store = RocksDbStore.Open(directory.StorePath);
        BlockHeader target = StoredChain.ReadCanonical(store, 20)!;
        Assert.Equal((30UL, 20UL, 10UL, true), ((ulong)result["from"]!, (ulong)result["to"]!, (ulong)result["blocks"]!, (bool)result["verified"]!));
        Assert.Equal(target.StateRoot.ToString(), (string?)result["stateRoot"]);
        Assert.Equal(target.Hash.ToString(), (string?)result["toHash"]);
        Assert.True(StateRootVerifier.Verify(store, target.StateRoot).IsValid);
        using DevnetProducer producer = DevnetProducer.Open(directory, store, [], new DevnetProducerOptions(), TimeProvider.System);
        Assert.Equal(30UL, producer.Chain.Head.Number);
        Assert.True(StateRootVerifier.Verify(store, producer.Chain.Head.StateRoot).IsValid);
        await producer.ProduceAsync(CancellationToken.None);
        Assert.Equal(31UL, StateHistory.ReadStateHeader(store)!.Number);
    }

    [Fact]
    public void A_target_above_the_held_state_is_exit_code_2()
    {
        using var temp = new TemporaryDirectory();
        var directory = new DevnetDirectory(Path.Combine(temp.Path, "devnet"));
        DevnetGeneration.Run(directory, DevnetFixtures.Small(), 5);

        CliRun run = InProcessMgr.Run("rollback", "--datadir", directory.Root, "--to", "6");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine);
        Assert.StartsWith("mgr rollback: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("later block 6", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_directory_without_a_store_is_exit_code_2()
    {
        CliRun run = InProcessMgr.Run("rollback", "--datadir", Path.Combine(Path.GetTempPath(), "mgr-none-" + Guid.NewGuid().ToString("N")), "--to", "1");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.Contains("no node store", run.Stderr, StringComparison.Ordinal);
    }
}
