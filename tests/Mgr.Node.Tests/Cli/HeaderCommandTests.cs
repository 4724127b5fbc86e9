using System.Text.Json;
using Mgr.Node.Cli;

namespace Mgr.Node.Tests.Cli;

public class HeaderCommandTests
{
    // go-ethereum's EIP-1559 block-encoding test vector: its header, whose hash that test states.
    private static readonly string LondonHeaderHex =
        "f901fea083cafc574e1f51ba9dc0568fc617a08ea2429fb384059c972f13b19fa1c8dd55a01dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347948888f1f195afa192cfee860698584c030f4c9db1a0ef1552a40b7165c3cd773806b9e0c165b75356e0314bf0706f279c729f51e017a05fe50b260da6308036625b850b5d6ced6d0a9f814c0688bc91ffb7b7a3a54b67a0bc37d79753ad738a6dac4921e57392f145d8887476de3f783dfa7edae9283e52b90100"
        + new string('0', 512)
        + "8302000001832fefd8825208845506eb0780a0bd4472abb6659ebe3ee06ee4d7b72a00a9f4d001caca51342001075469aff49888a13a5a8c8f2bb1c4843b9aca00";

    [Fact]
    public void Decode_prints_the_fields_and_the_known_hash_as_json()
    {
        CliRun run = InProcessMgr.Run("header", "decode", "0x" + LondonHeaderHex);

        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement header = json.RootElement;
        Assert.Equal("0xc7252048cd273fe0dac09650027d07f0e3da4ee0675ebbb26627cea92729c372", header.GetProperty("hash").GetString());
        Assert.Equal("0x8888f1f195afa192cfee860698584c030f4c9db1", header.GetProperty("miner").GetString());
        Assert.Equal("0x1", header.GetProperty("number").GetString());
        Assert.Equal("0x2fefd8", header.GetProperty("gasLimit").GetString());
        Assert.Equal("0x20000", header.GetProperty("difficulty").GetString());
        Assert.Equal("0x3b9aca00", header.GetProperty("baseFeePerGas").GetString());
        Assert.Equal("0xa13a5a8c8f2bb1c4", header.GetProperty("nonce").GetString());
        Assert.Equal("london", header.GetProperty("fork").GetString());
        Assert.False(header.TryGetProperty("withdrawalsRoot", out _));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Decode_rejects_hex_that_is_not_hex_with_exit_2_and_one_line()
    {
        CliRun run = InProcessMgr.Run("header", "decode", "0xf9zz");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine, run.Stderr);
        Assert.StartsWith("mgr header decode: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void Decode_rejects_a_list_with_the_wrong_field_count()
    {
        CliRun run = InProcessMgr.Run("header", "decode", "c3808080");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.Contains("has 3", run.Stderr, StringComparison.Ordinal);
        Assert.True(run.StderrIsOneLine, run.Stderr);
    }

    [Fact]
    public void Decode_names_the_field_with_a_non_canonical_integer()
    {
        string broken = LondonHeaderHex.Replace("832fefd8", "83002fef", StringComparison.Ordinal);

        CliRun run = InProcessMgr.Run("header", "decode", broken);

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.Contains("'gasLimit'", run.Stderr, StringComparison.Ordinal);
    }
}
