using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mgr.Node.Chain;
using Mgr.Node.EngineApi;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.EngineApi;

public sealed class EngineApiHandlerTests
{
    private readonly FakeChainView _chain = new();
    private readonly ConsensusEventChannel _events = new();
    private readonly JsonRpcDispatcher _dispatcher;

    public EngineApiHandlerTests() => _dispatcher = new JsonRpcDispatcher(new EngineApiHandler(_chain, _events));

    /// <summary>The request for the ethereumjs-generated fixture (block hash computed independently of our code).</summary>
    public static JsonObject FixtureRequest([CallerFilePath] string here = "")
    {
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "cancun-payload.json")))!.AsObject();
        return new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "engine_newPayloadV3",
            ["params"] = new JsonArray(fixture["executionPayload"]!.DeepClone(), fixture["expectedBlobVersionedHashes"]!.DeepClone(),
                fixture["parentBeaconBlockRoot"]!.DeepClone()),
        };
    }

    private JsonNode Call(JsonObject request)
    {
        byte[] response = _dispatcher.Handle(Encoding.UTF8.GetBytes(request.ToJsonString()))!;
        return JsonNode.Parse(response)!;
    }

    [Fact]
    public void Accepts_the_block_hash_ethereumjs_computes_and_answers_syncing_while_syncing()
    {
        JsonNode response = Call(FixtureRequest());

        Assert.Equal("SYNCING", (string?)response["result"]!["status"]);
        Assert.Null(response["result"]!["latestValidHash"]);
    }

    [Fact]
    public void Publishes_the_header_of_a_payload_whose_hash_checks_out()
    {
        JsonObject request = FixtureRequest();

        Call(request);

        var payload = Assert.IsType<PayloadReceived>(Assert.Single(Drain()));
        Assert.Equal((string?)request["params"]![0]!["blockHash"], payload.Header.Hash.ToString());
        Assert.Equal(0x1234UL, payload.Header.Number);
    }

    [Fact]
    public void Answers_accepted_once_synced_when_the_parent_is_known()
    {
        JsonObject request = FixtureRequest();
        _chain.IsSynced = true;
        _chain.Known.Add(Hash256.Parse((string)request["params"]![0]!["parentHash"]!));

        JsonNode response = Call(request);

        Assert.Equal("ACCEPTED", (string?)response["result"]!["status"]);
    }

    [Fact]
    public void Answers_invalid_block_hash_when_the_payload_claims_another_hash()
    {
        JsonObject request = FixtureRequest();
        request["params"]![0]!["blockHash"] = "0x" + new string('9', 64);

        JsonNode response = Call(request);

        Assert.Equal("INVALID_BLOCK_HASH", (string?)response["result"]!["status"]);
        Assert.Null(response["result"]!["latestValidHash"]);
        Assert.Empty(Drain());
    }

    [Fact]
    public void Answers_invalid_block_hash_when_a_transaction_was_altered()
    {
        JsonObject request = FixtureRequest();
        request["params"]![0]!["transactions"]![2] = "0x02";

        JsonNode response = Call(request);

        Assert.Equal("INVALID_BLOCK_HASH", (string?)response["result"]!["status"]);
    }

    [Fact]
    public void Answers_invalid_for_an_empty_transaction()
    {
        JsonObject request = FixtureRequest();
        request["params"]![0]!["transactions"]![2] = "0x";

        JsonNode response = Call(request);

        Assert.Equal("INVALID", (string?)response["result"]!["status"]);
    }

    [Fact]
    public void Answers_invalid_when_expected_blob_hashes_do_not_match_the_transactions()
    {
        JsonObject request = FixtureRequest();
        request["params"]![1] = new JsonArray("0x01" + new string('0', 62));

        JsonNode response = Call(request);

        Assert.Equal("INVALID", (string?)response["result"]!["status"]);
    }

    [Theory]
    [InlineData("blockHash", "0x1234")]
    [InlineData("blockNumber", "0x01")]
    [InlineData("gasLimit", "12")]
    [InlineData("feeRecipient", null)]
    [InlineData("extraData", "0x" + "00000000000000000000000000000000000000000000000000000000000000000000")]
    public void Refuses_a_mistyped_or_missing_field_with_invalid_params(string field, string? value)
    {
        JsonObject request = FixtureRequest();
        request["params"]![0]![field] = value;

        JsonNode response = Call(request);

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
        Assert.Contains(field, (string)response["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_new_payload_with_missing_parameters()
    {
        JsonObject request = FixtureRequest();
        request["params"]!.AsArray().RemoveAt(2);

        JsonNode response = Call(request);

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
    }

    [Fact]
    public void Forkchoice_update_answers_syncing_and_publishes_head_and_finalized()
    {
        Hash256 head = Hash256.Parse("0x" + new string('a', 64)), finalized = Hash256.Parse("0x" + new string('f', 64));

        JsonNode response = Call(Fcu(head, Hash256.Zero, finalized, attributes: null));

        Assert.Equal("SYNCING", (string?)response["result"]!["payloadStatus"]!["status"]);
        Assert.Null(response["result"]!["payloadId"]);
        List<ConsensusEvent> events = Drain();
        Assert.Equal(2, events.Count);
        Assert.Equal(new HeadUpdated(head, Hash256.Zero, finalized), events[0]);
        Assert.Equal(finalized, Assert.IsType<FinalizedBlockReceived>(events[1]).Hash);
    }

    [Fact]
    public void Forkchoice_update_hands_over_the_finalized_header_when_its_payload_came_first()
    {
        JsonObject request = FixtureRequest();
        Call(request);
        Hash256 hash = Hash256.Parse((string)request["params"]![0]!["blockHash"]!);

        Call(Fcu(hash, hash, hash, attributes: null));

        Assert.Equal(hash, Assert.IsType<FinalizedBlockReceived>(Drain()[^1]).Header!.Hash);
    }

    [Fact]
    public void Forkchoice_update_answers_valid_when_synced_and_ignores_well_formed_attributes()
    {
        Hash256 head = Hash256.Parse("0x" + new string('a', 64));
        _chain.IsSynced = true;
        _chain.Known.Add(head);
        var attributes = new JsonObject
        {
            ["timestamp"] = "0x10", ["prevRandao"] = "0x" + new string('0', 64), ["suggestedFeeRecipient"] = "0x" + new string('0', 40),
            ["withdrawals"] = new JsonArray(), ["parentBeaconBlockRoot"] = "0x" + new string('0', 64),
        };

        JsonNode response = Call(Fcu(head, head, head, attributes));

        Assert.Equal("VALID", (string?)response["result"]!["payloadStatus"]!["status"]);
        Assert.Equal(head.ToString(), (string?)response["result"]!["payloadStatus"]!["latestValidHash"]);
        Assert.Null(response["result"]!["payloadId"]);
    }

    [Fact]
    public void Forkchoice_update_refuses_malformed_attributes_for_a_valid_head()
    {
        Hash256 head = Hash256.Parse("0x" + new string('a', 64));
        _chain.IsSynced = true;
        _chain.Known.Add(head);

        JsonNode response = Call(Fcu(head, head, head, new JsonObject { ["timestamp"] = "0x10" }));

        Assert.Equal(JsonRpcErrorCodes.InvalidPayloadAttributes, (int)response["error"]!["code"]!);
    }

    [Fact]
    public void Forkchoice_update_refuses_an_extra_field_in_the_state()
    {
        JsonObject request = Fcu(Hash256.MaxValue, Hash256.Zero, Hash256.Zero, null);
        request["params"]![0]!["extra"] = "0x";

        JsonNode response = Call(request);

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
    }

    [Fact]
    public void Exchange_capabilities_lists_our_methods_but_not_itself()
    {
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "engine_exchangeCapabilities",
            ["params"] = new JsonArray(new JsonArray("engine_newPayloadV3", "engine_getPayloadV3")),
        };

        JsonNode response = Call(request);

        string[] methods = response["result"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.Equal(["engine_forkchoiceUpdatedV3", "engine_newPayloadV3"], methods);
    }

    private static JsonObject Fcu(Hash256 head, Hash256 safe, Hash256 finalized, JsonObject? attributes) => new()
    {
        ["jsonrpc"] = "2.0", ["id"] = 2, ["method"] = "engine_forkchoiceUpdatedV3",
        ["params"] = new JsonArray(
            new JsonObject { ["headBlockHash"] = head.ToString(), ["safeBlockHash"] = safe.ToString(), ["finalizedBlockHash"] = finalized.ToString() },
            attributes),
    };

    private List<ConsensusEvent> Drain()
    {
        _events.Complete();
        var all = new List<ConsensusEvent>();
        IAsyncEnumerator<ConsensusEvent> reader = _events.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        while (reader.MoveNextAsync().AsTask().GetAwaiter().GetResult()) all.Add(reader.Current);
        return all;
    }

    private sealed class FakeChainView : IEngineChainView
    {
        public HashSet<Hash256> Known { get; } = [];

        public bool IsSynced { get; set; }

        public bool ContainsHeader(Hash256 hash) => Known.Contains(hash);
    }
}
