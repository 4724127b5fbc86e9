using System.Text.Json;
using Mgr.Node.Chain;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>The Engine API methods this node serves — <c>engine_exchangeCapabilities</c>,
/// <c>engine_forkchoiceUpdatedV3</c>, <c>engine_newPayloadV3</c> — answering as a node that syncs headers
/// and state but executes no blocks, and turning what the consensus client says into <see cref="ConsensusEvent"/>s.</summary>
/// <remarks>
/// <para>newPayloadV3: parameters are checked strictly (-32602); an empty transaction → INVALID; a block hash
/// that does not match the header rebuilt from the payload → INVALID_BLOCK_HASH; blob versioned hashes that
/// differ from the blob transactions' → INVALID. Otherwise the header is published (<see cref="PayloadReceived"/>)
/// and the answer is ACCEPTED when the node is synced and knows the parent, else SYNCING. Never VALID: that
/// needs execution.</para>
/// <para>forkchoiceUpdatedV3: publishes <see cref="HeadUpdated"/> and, when the finalized hash changes,
/// <see cref="FinalizedBlockReceived"/> (with the header if its payload came earlier). Answers VALID when synced
/// and the head header is stored, else SYNCING. This node builds no blocks: payload attributes are ignored
/// while SYNCING (the spec processes them only for a VALID head) and, when VALID, checked for shape (-38003)
/// and then ignored; <c>payloadId</c> is always null.</para>
/// <para>Thread-safe (one lock); the server calls it one request at a time anyway.</para>
/// </remarks>
public sealed class EngineApiHandler(IEngineChainView chain, ConsensusEventChannel events) : IJsonRpcTarget
{
    /// <summary>Payload headers remembered so a later forkchoice update can hand over the finalized header.</summary>
    public const int RecentPayloadCapacity = 128;

    /// <summary>The methods we serve, as engine_exchangeCapabilities reports them (which excludes itself).</summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["engine_forkchoiceUpdatedV3", "engine_newPayloadV3"];

    private static readonly string[] ForkchoiceFields = ["headBlockHash", "safeBlockHash", "finalizedBlockHash"];
    private static readonly string[] AttributeFields = ["timestamp", "prevRandao", "suggestedFeeRecipient", "withdrawals", "parentBeaconBlockRoot"];

    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, BlockHeader> _recent = [];
    private readonly Queue<Hash256> _recentOrder = new();
    private Hash256 _lastFinalized;

    public bool TryInvoke(string method, JsonElement parameters, Utf8JsonWriter result)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (method)
        {
            case "engine_exchangeCapabilities":
                ExchangeCapabilities(parameters, result);
                return true;
            case "engine_forkchoiceUpdatedV3":
                lock (_lock) ForkchoiceUpdated(parameters, result);
                return true;
            case "engine_newPayloadV3":
                lock (_lock) NewPayload(parameters, result);
                return true;
            default:
                return false;
        }
    }

    private static void ExchangeCapabilities(JsonElement parameters, Utf8JsonWriter result)
    {
        JsonElement offered = Parameter(parameters, 0, 1, 1, "capabilities");
        if (offered.ValueKind != JsonValueKind.Array) throw JsonRpcException.InvalidParams("params[0] must be an array of method names");
        foreach (JsonElement name in offered.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String) throw JsonRpcException.InvalidParams("params[0] must hold only strings");
        }
        result.WriteStartArray();
        foreach (string capability in Capabilities) result.WriteStringValue(capability);
        result.WriteEndArray();
    }

    private void ForkchoiceUpdated(JsonElement parameters, Utf8JsonWriter result)
    {
        JsonElement state = Parameter(parameters, 0, 1, 2, "forkchoiceState");
        CheckFields(state, ForkchoiceFields, "forkchoiceState", JsonRpcErrorCodes.InvalidParams);
        Hash256 head = EngineJson.ReadHash(state, "headBlockHash", "forkchoiceState");
        Hash256 safe = EngineJson.ReadHash(state, "safeBlockHash", "forkchoiceState");
        Hash256 finalized = EngineJson.ReadHash(state, "finalizedBlockHash", "forkchoiceState");
        if (head.IsZero) throw new JsonRpcException(JsonRpcErrorCodes.InvalidForkchoiceState, "headBlockHash is zero");
        JsonElement attributes = parameters.GetArrayLength() > 1 ? parameters[1] : default;

        events.Publish(new HeadUpdated(head, safe, finalized));
        if (!finalized.IsZero && finalized != _lastFinalized)
        {
            _lastFinalized = finalized;
            events.Publish(new FinalizedBlockReceived(finalized, _recent.GetValueOrDefault(finalized)));
        }

        bool valid = chain.IsSynced && chain.ContainsHeader(head);
        if (valid && attributes.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)) CheckAttributes(attributes);
        result.WriteStartObject();
        result.WritePropertyName("payloadStatus"u8);
        WriteStatus(result, valid ? PayloadStatus.Valid : PayloadStatus.Syncing, valid ? head : null, null);
        result.WriteNull("payloadId"u8);
        result.WriteEndObject();
    }

    private static void CheckAttributes(JsonElement attributes)
    {
        const string path = "payloadAttributes";
        try
        {
            CheckFields(attributes, AttributeFields, path, JsonRpcErrorCodes.InvalidPayloadAttributes);
            EngineJson.ReadQuantity(attributes, "timestamp", path);
            EngineJson.ReadHash(attributes, "prevRandao", path);
            EngineJson.ReadFixedData(EngineJson.Required(attributes, "suggestedFeeRecipient", path), stackalloc byte[20], $"{path}.suggestedFeeRecipient");
            if (EngineJson.Required(attributes, "withdrawals", path).ValueKind != JsonValueKind.Array)
                throw JsonRpcException.InvalidParams($"{path}.withdrawals must be an array");
            EngineJson.ReadHash(attributes, "parentBeaconBlockRoot", path);
        }
        catch (JsonRpcException e) when (e.Code == JsonRpcErrorCodes.InvalidParams)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidPayloadAttributes, e.Message);
        }
    }

    private void NewPayload(JsonElement parameters, Utf8JsonWriter result)
    {
        ExecutionPayload payload = ExecutionPayload.Parse(Parameter(parameters, 0, 3, 3, "executionPayload"));
        JsonElement expectedElement = Parameter(parameters, 1, 3, 3, "expectedBlobVersionedHashes");
        if (expectedElement.ValueKind != JsonValueKind.Array) throw JsonRpcException.InvalidParams("expectedBlobVersionedHashes must be an array");
        var expected = new List<Hash256>(expectedElement.GetArrayLength());
        Span<byte> hash = stackalloc byte[Hash256.Length];
        foreach (JsonElement item in expectedElement.EnumerateArray())
        {
            EngineJson.ReadFixedData(item, hash, $"expectedBlobVersionedHashes[{expected.Count}]");
            expected.Add(new Hash256(hash));
        }
        EngineJson.ReadFixedData(Parameter(parameters, 2, 3, 3, "parentBeaconBlockRoot"), hash, "parentBeaconBlockRoot");
        var parentBeaconBlockRoot = new Hash256(hash);

        for (int i = 0; i < payload.Transactions.Count; i++)
        {
            if (payload.Transactions[i].IsEmpty)
            {
                WriteStatus(result, PayloadStatus.Invalid, null, $"transaction {i} is empty");
                return;
            }
        }
        BlockHeader header = PayloadHeader.Build(payload, parentBeaconBlockRoot);
        if (header.Hash != payload.BlockHash)
        {
            WriteStatus(result, PayloadStatus.InvalidBlockHash, null, $"block hash is {header.Hash}, payload claims {payload.BlockHash}");
            return;
        }
        var actual = new List<Hash256>(expected.Count);
        if (!BlobVersionedHashes.TryCollect(payload.Transactions, actual))
        {
            WriteStatus(result, PayloadStatus.Invalid, null, "a blob transaction is malformed");
            return;
        }
        if (!actual.SequenceEqual(expected))
        {
            WriteStatus(result, PayloadStatus.Invalid, null, "blob versioned hashes differ from expectedBlobVersionedHashes");
            return;
        }

        Remember(header);
        events.Publish(new PayloadReceived(header));
        bool accepted = chain.IsSynced && chain.ContainsHeader(header.ParentHash);
        WriteStatus(result, accepted ? PayloadStatus.Accepted : PayloadStatus.Syncing, null, null);
    }

    private void Remember(BlockHeader header)
    {
        if (!_recent.TryAdd(header.Hash, header)) return;
        _recentOrder.Enqueue(header.Hash);
        if (_recentOrder.Count > RecentPayloadCapacity) _recent.Remove(_recentOrder.Dequeue());
    }

    private static JsonElement Parameter(JsonElement parameters, int index, int min, int max, string name)
    {
        int count = parameters.ValueKind == JsonValueKind.Array ? parameters.GetArrayLength() : 0;
        if (count < min || count > max)
            throw JsonRpcException.InvalidParams(min == max ? $"expected {min} params, got {count}" : $"expected {min} to {max} params, got {count}");
        JsonElement value = parameters[index];
        if (value.ValueKind == JsonValueKind.Null) throw JsonRpcException.InvalidParams($"{name} is missing (null)");
        return value;
    }

    private static void CheckFields(JsonElement obj, string[] allowed, string path, int code)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new JsonRpcException(code, $"{path} must be an object");
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0) throw new JsonRpcException(code, $"{path} has an unexpected field");
        }
    }

    private static void WriteStatus(Utf8JsonWriter writer, PayloadStatus status, Hash256? latestValidHash, string? validationError)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, status switch
        {
            PayloadStatus.Valid => "VALID",
            PayloadStatus.Invalid => "INVALID",
            PayloadStatus.Syncing => "SYNCING",
            PayloadStatus.Accepted => "ACCEPTED",
            _ => "INVALID_BLOCK_HASH",
        });
        if (latestValidHash is Hash256 valid) writer.WriteString("latestValidHash"u8, valid.ToString());
        else writer.WriteNull("latestValidHash"u8);
        if (validationError is null) writer.WriteNull("validationError"u8);
        else writer.WriteString("validationError"u8, validationError);
        writer.WriteEndObject();
    }
}
