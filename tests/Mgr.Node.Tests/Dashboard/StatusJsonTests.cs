using System.Text.Json;
using Mgr.Node.Dashboard;
using Mgr.Node.Progress;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Dashboard;

public sealed class StatusJsonTests
{
    [Fact]
    public void Writes_coverage_as_sorted_hex_intervals_with_the_exact_fraction()
    {
        var source = new FakeNodeStatusSource();
        source.Grow();
        source.Grow();

        using JsonDocument json = Document(source.Snapshot());

        JsonElement coverage = json.RootElement.GetProperty("coverage");
        Assert.Equal(3.0 / 8, coverage.GetProperty("fraction").GetDouble(), 12);
        Assert.False(coverage.GetProperty("coarse").GetBoolean());
        string[][] intervals = coverage.GetProperty("intervals").EnumerateArray().Select(i => i.EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        Assert.Equal(3, intervals.Length);
        Assert.Equal("0x" + new string('0', 64), intervals[0][0]);
        Assert.Equal("0x1f" + new string('f', 62), intervals[0][1]);
        Assert.Equal("0x40" + new string('0', 62), intervals[1][0]);
    }

    [Fact]
    public void Writes_identity_ride_totals_stages_and_peers()
    {
        using JsonDocument json = Document(new FakeNodeStatusSource().Snapshot());
        JsonElement root = json.RootElement;

        Assert.Equal("16Uiu2HAmFakeSelfPeer", root.GetProperty("peerId").GetString());
        Assert.Equal("leecher", root.GetProperty("role").GetString());
        Assert.Equal(1337UL, root.GetProperty("networkId").GetUInt64());
        Assert.Equal(7UL, root.GetProperty("epoch").GetUInt64());
        Assert.Equal(Hash256.EmptyTrieRoot.ToString(), root.GetProperty("stateRoot").GetString());
        Assert.Equal("0x20" + new string('0', 62), root.GetProperty("ride").GetProperty("start").GetString());
        Assert.Equal(1_050_000, root.GetProperty("totals").GetProperty("bytesIn").GetInt64());
        JsonElement state = root.GetProperty("stages")[1];
        Assert.Equal(("state", 128.0, 1024.0, 0.125), (state.GetProperty("name").GetString(), state.GetProperty("done").GetDouble(),
            state.GetProperty("total").GetDouble(), state.GetProperty("fraction").GetDouble()));
        Assert.Equal(JsonValueKind.Null, state.GetProperty("etaSeconds").ValueKind);
        JsonElement seeder = root.GetProperty("peers")[0];
        Assert.Equal(("16Uiu2HAmFakeSeederPeerOne", "seeder", 1.0), (seeder.GetProperty("peerId").GetString(), seeder.GetProperty("role").GetString(),
            seeder.GetProperty("coverage").GetProperty("fraction").GetDouble()));
        Assert.Equal(2.5, root.GetProperty("peers")[1].GetProperty("penaltyScore").GetDouble());
    }

    [Fact]
    public void Writes_null_for_what_is_not_known_yet()
    {
        var snapshot = new NodeStatusSnapshot { TakenAt = DateTimeOffset.UnixEpoch, PeerId = "p", Role = Mgr.Protocol.Messages.Role.Leecher };

        using JsonDocument json = Document(snapshot);

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("epoch").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("stateRoot").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ride").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rates").GetProperty("bytesInPerSecond").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("coverage").GetProperty("intervals").GetArrayLength());
    }

    [Fact]
    public void Coarsens_a_fragmented_coverage_to_a_bounded_number_of_slices()
    {
        // 5,000 single-key ranges spread over the keyspace: far more than MaxIntervals.
        var ranges = Enumerable.Range(0, 5000).Select(i =>
        {
            var key = new byte[32];
            ulong top = (ulong)i * (ulong.MaxValue / 5000);
            for (int b = 0; b < 8; b++) key[b] = (byte)(top >> (56 - 8 * b));
            var hash = new Hash256(key);
            return new KeyRange(hash, hash);
        });
        var snapshot = new NodeStatusSnapshot
        {
            TakenAt = DateTimeOffset.UnixEpoch, PeerId = "p", Role = Mgr.Protocol.Messages.Role.Leecher, Coverage = KeyRangeSet.From(ranges),
        };

        using JsonDocument json = Document(snapshot);

        JsonElement coverage = json.RootElement.GetProperty("coverage");
        Assert.True(coverage.GetProperty("coarse").GetBoolean());
        Assert.InRange(coverage.GetProperty("intervals").GetArrayLength(), 1, StatusJson.MaxIntervals);
        Assert.Equal("0x" + new string('0', 64), coverage.GetProperty("intervals")[0][0].GetString());
        Assert.Equal("0x" + new string('f', 64), coverage.GetProperty("intervals")[coverage.GetProperty("intervals").GetArrayLength() - 1][1].GetString());
        Assert.True(coverage.GetProperty("fraction").GetDouble() < 1e-60);
    }

    private static JsonDocument Document(NodeStatusSnapshot snapshot) => JsonDocument.Parse(StatusJson.ToUtf8(snapshot, new RateTracker().Observe(snapshot)));
}
