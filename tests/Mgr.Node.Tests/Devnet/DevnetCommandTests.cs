using System.Text.Json;
using Mgr.Node.Devnet;
using Mgr.Node.Tests.Cli;
using Mgr.Trie.Genesis;

namespace Mgr.Node.Tests.Devnet;

public sealed class DevnetCommandTests
{
    private static string[] GenerateArgs(string dir, string seed = "3") =>
        ["devnet", "generate", "--datadir", dir, "--accounts", "200", "--contracts", "4", "--max-slots", "300", "--blocks", "6", "--seed", seed];

    [Fact]
    public void Generate_prints_a_one_line_summary_that_matches_the_files()
    {
        using var temp = new TemporaryDirectory();
        string dir = Path.Combine(temp.Path, "d");

        CliRun run = InProcessMgr.Run(GenerateArgs(dir));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, run.Stdout.Count(c => c == '\n'));
        using JsonDocument summary = JsonDocument.Parse(run.Stdout);
        JsonElement root = summary.RootElement;
        Assert.Equal(6, root.GetProperty("headNumber").GetInt32());
        Assert.Equal(GenesisBuilder.Build(GenesisReader.Parse(File.ReadAllBytes(Path.Combine(dir, "genesis.json")))).Hash.ToString(),
            root.GetProperty("genesisHash").GetString());
        Assert.True(root.GetProperty("accounts").GetInt64() >= 204);
        Assert.True(root.GetProperty("stateBytes").GetInt64() > 0);
        using ChainLog log = ChainLog.Open(Path.Combine(dir, "chain.log"));
        Assert.Equal(log.Head!.Hash.ToString(), root.GetProperty("headHash").GetString());
        Assert.Equal(log.Head.StateRoot.ToString(), root.GetProperty("headStateRoot").GetString());
    }

    [Fact]
    public void Generate_refuses_bad_parameters_with_exit_2_and_an_existing_devnet_with_exit_1()
    {
        using var temp = new TemporaryDirectory();
        string dir = Path.Combine(temp.Path, "d");

        CliRun bad = InProcessMgr.Run("devnet", "generate", "--datadir", dir, "--accounts", "0", "--contracts", "1", "--max-slots", "1", "--blocks", "1", "--seed", "1");
        CliRun first = InProcessMgr.Run(GenerateArgs(dir));
        CliRun again = InProcessMgr.Run(GenerateArgs(dir, seed: "4"));

        Assert.Equal(2, bad.ExitCode);
        Assert.True(bad.StderrIsOneLine, bad.Stderr);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.True(again.StderrIsOneLine, again.Stderr);
    }

    [Fact]
    public void Produce_and_follow_keep_two_stores_at_the_same_head()
    {
        using var temp = new TemporaryDirectory();
        string dir = Path.Combine(temp.Path, "d");
        Assert.Equal(0, InProcessMgr.Run(GenerateArgs(dir)).ExitCode);

        CliRun produce = InProcessMgr.Run("devnet", "produce", "--datadir", dir, "--seconds-per-block", "0.01", "--blocks", "3");
        CliRun follow = InProcessMgr.Run("devnet", "follow", "--datadir", dir, "--node-datadir", Path.Combine(temp.Path, "seeder"), "--once");

        Assert.Equal(0, produce.ExitCode);
        string[] lines = produce.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        Assert.Equal(9, last.RootElement.GetProperty("number").GetInt32());
        Assert.Equal(1, last.RootElement.GetProperty("finalized").GetInt32());
        Assert.Equal(0, follow.ExitCode);
        using JsonDocument followed = JsonDocument.Parse(follow.Stdout);
        Assert.Equal(last.RootElement.GetProperty("hash").GetString(), followed.RootElement.GetProperty("headHash").GetString());
    }

    [Fact]
    public void Produce_refuses_an_engine_without_a_jwt_secret()
    {
        using var temp = new TemporaryDirectory();

        CliRun run = InProcessMgr.Run("devnet", "produce", "--datadir", temp.Path, "--engine", "http://127.0.0.1:8551");

        Assert.Equal(2, run.ExitCode);
        Assert.True(run.StderrIsOneLine, run.Stderr);
    }
}
