using System.Text;
using System.Text.Json;
using Mgr.Fuzz.Engine;
using Mgr.Node.Chain;
using Mgr.Node.EngineApi;
using Mgr.Trie.Primitives;

namespace Mgr.Fuzz.Targets.Node;

/// <summary>Engine API JSON-RPC bodies through JsonRpcDispatcher and the real EngineApiHandler (the seam the HTTP server
/// calls after JWT checks), without sockets. The dispatcher documents that it never throws: every bad body becomes a
/// JSON-RPC error. Oracle: the answer is well-formed JSON (or null for notifications only). Budget: 128 KiB + 64 B per
/// input byte (JSON document, payload decoding, response writer).</summary>
internal sealed class EngineApiTarget : FuzzTarget
{
    private readonly JsonRpcDispatcher _dispatcher = new(new EngineApiHandler(new UnsyncedChain(), new ConsensusEventChannel()));

    public override string Name => "engine-api";

    public override InputFormat Format => InputFormat.Json;

    public override AllocationBudget Budget => new(128 * 1024, 64);

    public override IEnumerable<byte[]> Seeds()
    {
        string zero32 = "0x" + new string('0', 64), bloom = "0x" + new string('0', 512);
        string payload = $$"""{"parentHash":"{{zero32}}","feeRecipient":"0x{{new string('a', 40)}}","stateRoot":"{{zero32}}","receiptsRoot":"{{zero32}}","logsBloom":"{{bloom}}","prevRandao":"{{zero32}}","blockNumber":"0x1","gasLimit":"0x1c9c380","gasUsed":"0x0","timestamp":"0x6553f100","extraData":"0x","baseFeePerGas":"0x7","blockHash":"{{zero32}}","transactions":[],"withdrawals":[],"blobGasUsed":"0x0","excessBlobGas":"0x0"}""";
        return
        [
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities","params":[["engine_newPayloadV3"]]}"""),
            Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":2,"method":"engine_forkchoiceUpdatedV3","params":[{"headBlockHash":"{{zero32}}","safeBlockHash":"{{zero32}}","finalizedBlockHash":"{{zero32}}"},null]}"""),
            Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":"x","method":"engine_newPayloadV3","params":[{{payload}},[],"{{zero32}}"]}"""),
            Encoding.UTF8.GetBytes("""[{"jsonrpc":"2.0","id":1,"method":"engine_exchangeCapabilities","params":[[]]},{"jsonrpc":"2.0","method":"x"}]"""),
        ];
    }

    public override string Execute(byte[] input)
    {
        byte[]? response = _dispatcher.Handle(input);
        if (response is null) return "notification";
        try
        {
            using JsonDocument document = JsonDocument.Parse(response);
            JsonElement root = document.RootElement;
            JsonElement first = root.ValueKind == JsonValueKind.Array ? root[0] : root;
            return first.TryGetProperty("error", out JsonElement error) ? $"error:{error.GetProperty("code").GetInt32()}" : "result";
        }
        catch (JsonException error)
        {
            throw new FuzzOracleException($"the response is not JSON: {Encoding.UTF8.GetString(response)}", error);
        }
    }

    public override string? Classify(Exception error) => null;

    private sealed class UnsyncedChain : IEngineChainView
    {
        public bool IsSynced => false;

        public bool ContainsHeader(Hash256 hash) => hash == Hash256.Zero;
    }
}
