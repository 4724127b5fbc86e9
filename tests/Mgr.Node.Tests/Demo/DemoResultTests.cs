using System.Text.Json;
using Mgr.Node.Demo;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Demo;

public sealed class DemoResultTests
{
    private static readonly Hash256 Expected = Hash256.Parse("0x" + new string('1', 64));
    private static readonly Hash256 Other = Hash256.Parse("0x" + new string('2', 64));

    private static DemoResult Result(Hash256? leecherRoot, bool verified = true, string? failure = null) => new(Expected, 16, 1000, 1500,
    [
        new DemoNodeResult("seeder", "seeder", Expected, false, true, null, 0, 1500, null, null),
        new DemoNodeResult("leecher-1", "leecher", leecherRoot, verified, true, 2.5, 1200, 300, 200, null),
    ], 9.5) { Failure = failure };

    [Fact]
    public void Writes_every_field_of_the_json_contract()
    {
        using JsonDocument json = JsonDocument.Parse(Result(Expected).ToJson());

        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(Expected.ToString(), root.GetProperty("expectedRoot").GetString());
        Assert.Equal(1000, root.GetProperty("stateBytes").GetInt64());
        Assert.Equal(1500, root.GetProperty("seederEgressBytes").GetInt64());
        Assert.Equal(1.5, root.GetProperty("seederEgressPerStateBytes").GetDouble());
        JsonElement leecher = root.GetProperty("nodes")[1];
        Assert.Equal("leecher-1", leecher.GetProperty("name").GetString());
        Assert.Equal("leecher", leecher.GetProperty("role").GetString());
        Assert.Equal(Expected.ToString(), leecher.GetProperty("root").GetString());
        Assert.True(leecher.GetProperty("synced").GetBoolean());
        Assert.Equal(2.5, leecher.GetProperty("secondsToSynced").GetDouble());
        Assert.Equal(1200, leecher.GetProperty("bytesIn").GetInt64());
        Assert.Equal(300, leecher.GetProperty("bytesOut").GetInt64());
        Assert.Equal(200, leecher.GetProperty("duplicateBytes").GetInt64());
        Assert.Equal(0.1667, leecher.GetProperty("duplicateRatio").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nodes")[0].GetProperty("duplicateBytes").ValueKind);
    }

    [Fact]
    public void Fails_when_a_leecher_store_rebuilds_another_root()
    {
        DemoResult result = Result(Other);

        Assert.False(result.Success);
        Assert.False(result.Matches(result.Nodes[1]));
    }

    [Fact]
    public void Fails_when_the_leecher_root_was_only_claimed_not_verified_in_its_store()
    {
        Assert.False(Result(Expected, verified: false).Success);
    }

    [Fact]
    public void Fails_when_the_run_failed_even_if_the_roots_match()
    {
        using JsonDocument json = JsonDocument.Parse(Result(Expected, failure: "interrupted (SIGINT/SIGTERM)").ToJson());

        Assert.False(json.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("interrupted (SIGINT/SIGTERM)", json.RootElement.GetProperty("failure").GetString());
    }
}
