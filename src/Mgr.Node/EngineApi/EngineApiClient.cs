using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Mgr.Trie.Primitives;

namespace Mgr.Node.EngineApi;

/// <summary>The consensus side of the Engine API: signs each request with a fresh JWT and calls a node's
/// <c>engine_*</c> methods over HTTP (what a beacon driver uses to drive nodes).</summary>
/// <remarks>Thread-safe. Responses are bounded (<see cref="MaxResponseBytes"/>); failures are
/// <see cref="EngineApiClientException"/>.</remarks>
public sealed class EngineApiClient : IDisposable
{
    /// <summary>Largest response read; Engine API answers to these methods are tiny.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly JwtIssuer _issuer;
    private long _nextId;

    public EngineApiClient(Uri endpoint, JwtIssuer issuer, HttpMessageHandler? handler = null)
    {
        _endpoint = endpoint;
        _issuer = issuer;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>engine_exchangeCapabilities: the node's methods.</summary>
    public async Task<IReadOnlyList<string>> ExchangeCapabilitiesAsync(IReadOnlyList<string> ours, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(ours);
        using JsonDocument answer = await CallAsync("engine_exchangeCapabilities", writer =>
        {
            writer.WriteStartArray();
            foreach (string method in ours) writer.WriteStringValue(method);
            writer.WriteEndArray();
        }, cancellation).ConfigureAwait(false);
        JsonElement result = answer.RootElement.GetProperty("result");
        if (result.ValueKind != JsonValueKind.Array) throw new EngineApiClientException("capabilities answer is not an array");
        return [.. result.EnumerateArray().Select(e => e.GetString() ?? throw new EngineApiClientException("capability is not a string"))];
    }

    /// <summary>engine_forkchoiceUpdatedV3 without payload attributes.</summary>
    public async Task<PayloadStatusResult> ForkchoiceUpdatedAsync(Hash256 head, Hash256 safe, Hash256 finalized, CancellationToken cancellation)
    {
        using JsonDocument answer = await CallAsync("engine_forkchoiceUpdatedV3", writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("headBlockHash"u8, head.ToString());
            writer.WriteString("safeBlockHash"u8, safe.ToString());
            writer.WriteString("finalizedBlockHash"u8, finalized.ToString());
            writer.WriteEndObject();
            writer.WriteNullValue();
        }, cancellation).ConfigureAwait(false);
        JsonElement result = answer.RootElement.GetProperty("result");
        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("payloadStatus", out JsonElement status))
            throw new EngineApiClientException("forkchoice answer has no payloadStatus");
        return ReadStatus(status);
    }

    /// <summary>engine_newPayloadV3.</summary>
    public async Task<PayloadStatusResult> NewPayloadAsync(ExecutionPayload payload, IReadOnlyList<Hash256> expectedBlobVersionedHashes,
        Hash256 parentBeaconBlockRoot, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(expectedBlobVersionedHashes);
        using JsonDocument answer = await CallAsync("engine_newPayloadV3", writer =>
        {
            payload.WriteTo(writer);
            writer.WriteStartArray();
            foreach (Hash256 hash in expectedBlobVersionedHashes) writer.WriteStringValue(hash.ToString());
            writer.WriteEndArray();
            writer.WriteStringValue(parentBeaconBlockRoot.ToString());
        }, cancellation).ConfigureAwait(false);
        return ReadStatus(answer.RootElement.GetProperty("result"));
    }

    private async Task<JsonDocument> CallAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken cancellation)
    {
        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteNumber("id"u8, Interlocked.Increment(ref _nextId));
            writer.WriteString("method"u8, method);
            writer.WriteStartArray("params"u8);
            writeParams(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Issue());
        request.Content = new ReadOnlyMemoryContent(body.WrittenMemory);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxResponseBytes) throw new EngineApiClientException($"{method}: answer too large");
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            if (bytes.Length > MaxResponseBytes) throw new EngineApiClientException($"{method}: answer too large");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                throw new EngineApiClientException($"{method}: HTTP {(int)response.StatusCode} with a body that is not JSON", e);
            }
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out JsonElement error))
            {
                int code = error.TryGetProperty("code", out JsonElement c) && c.TryGetInt32(out int n) ? n : 0;
                string message = error.TryGetProperty("message", out JsonElement m) ? m.ToString() : "error";
                document.Dispose();
                throw new EngineApiClientException($"{method}: {message}", (int)response.StatusCode, code);
            }
            if (!response.IsSuccessStatusCode || document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("result", out _))
            {
                document.Dispose();
                throw new EngineApiClientException($"{method}: HTTP {(int)response.StatusCode} without a result", (int)response.StatusCode);
            }
            return document;
        }
        catch (HttpRequestException e)
        {
            throw new EngineApiClientException($"{method}: {e.Message}", e);
        }
    }

    private static PayloadStatusResult ReadStatus(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object || !status.TryGetProperty("status", out JsonElement s))
            throw new EngineApiClientException("payload status is not an object with a status");
        PayloadStatus value = s.GetString() switch
        {
            "VALID" => PayloadStatus.Valid,
            "INVALID" => PayloadStatus.Invalid,
            "SYNCING" => PayloadStatus.Syncing,
            "ACCEPTED" => PayloadStatus.Accepted,
            "INVALID_BLOCK_HASH" => PayloadStatus.InvalidBlockHash,
            _ => throw new EngineApiClientException("unknown payload status"),
        };
        Hash256? latest = status.TryGetProperty("latestValidHash", out JsonElement l) && l.ValueKind == JsonValueKind.String
            && Hash256.TryParse(l.GetString(), out Hash256 h) ? h : null;
        string? error = status.TryGetProperty("validationError", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new PayloadStatusResult(value, latest, error);
    }

    public void Dispose() => _http.Dispose();
}
