using System.Buffers;
using System.Text.Json;

namespace Mgr.Node.EngineApi;

/// <summary>Turns a JSON-RPC 2.0 request body into a response body: parses, validates the envelope,
/// calls the <see cref="IJsonRpcTarget"/>, and maps every failure to an error object.</summary>
/// <remarks>
/// A pure function of (target, body) with no I/O, so it is tested without sockets. Never throws for bad
/// input: malformed JSON is -32700, a bad envelope -32600, an unknown method -32601, refused parameters
/// whatever the method chose, and an unexpected fault in a method -32603 (the fault itself is not echoed).
/// Batches are answered in order, up to <see cref="MaxBatchSize"/> calls. Not thread-safe if the target is not.
/// </remarks>
public sealed class JsonRpcDispatcher(IJsonRpcTarget target)
{
    /// <summary>Most calls in one batch: the Engine API never batches, so a large batch is abuse.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>Deepest JSON nesting accepted: payloads nest 3 levels; 32 leaves room and bounds the parser.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>The response body, or null when every call was a notification (no <c>id</c>).</summary>
    public byte[]? Handle(ReadOnlyMemory<byte> body)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            }
            catch (JsonException)
            {
                WriteError(writer, id: default, JsonRpcErrorCodes.ParseError, "request body is not valid JSON");
                writer.Flush();
                return output.WrittenSpan.ToArray();
            }
            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    int count = root.GetArrayLength();
                    if (count == 0 || count > MaxBatchSize)
                    {
                        WriteError(writer, id: default, JsonRpcErrorCodes.InvalidRequest,
                            count == 0 ? "empty batch" : $"a batch holds at most {MaxBatchSize} calls");
                    }
                    else
                    {
                        bool any = false;
                        writer.WriteStartArray();
                        foreach (JsonElement call in root.EnumerateArray()) any |= HandleCallText(call, writer);
                        writer.WriteEndArray();
                        if (!any) return null;
                    }
                }
                else if (!HandleCallText(root, writer))
                {
                    return null;
                }
            }
        }
        return output.WrittenSpan.ToArray();
    }

    // System.Text.Json checks string text lazily: a property name or string with invalid UTF-8 or a lone surrogate
    // escape passes JsonDocument.Parse and throws InvalidOperationException when it is read. HandleCall reads every
    // string it needs (names, id, method) before it writes anything, so such a call is answered with a whole error.
    private bool HandleCallText(JsonElement call, Utf8JsonWriter writer)
    {
        try
        {
            return HandleCall(call, writer);
        }
        catch (InvalidOperationException)
        {
            WriteError(writer, id: default, JsonRpcErrorCodes.InvalidRequest, "the call holds a string that is not valid UTF-8 text");
            return true;
        }
    }

    // Writes the response object for one call; returns false (writing nothing) for a valid notification.
    private bool HandleCall(JsonElement call, Utf8JsonWriter writer)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            WriteError(writer, id: default, JsonRpcErrorCodes.InvalidRequest, "a call must be a JSON object");
            return true;
        }
        bool hasId = call.TryGetProperty("id", out JsonElement id);
        if (hasId && id.ValueKind == JsonValueKind.String) _ = id.GetString(); // checks its text before it is echoed
        if (hasId && id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null))
        {
            WriteError(writer, id: default, JsonRpcErrorCodes.InvalidRequest, "id must be a number, a string or null");
            return true;
        }
        if (!call.TryGetProperty("jsonrpc", out JsonElement version) || version.ValueKind != JsonValueKind.String
            || !version.ValueEquals("2.0"u8))
        {
            WriteError(writer, id, JsonRpcErrorCodes.InvalidRequest, "jsonrpc must be \"2.0\"");
            return true;
        }
        if (!call.TryGetProperty("method", out JsonElement methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            WriteError(writer, id, JsonRpcErrorCodes.InvalidRequest, "method must be a string");
            return true;
        }
        JsonElement parameters = default;
        if (call.TryGetProperty("params", out JsonElement given))
        {
            if (given.ValueKind != JsonValueKind.Array)
            {
                WriteError(writer, id, JsonRpcErrorCodes.InvalidParams, "params must be an array");
                return true;
            }
            parameters = given;
        }

        string method = methodElement.GetString()!;
        var result = new ArrayBufferWriter<byte>();
        int errorCode;
        string errorDetail;
        try
        {
            bool found;
            using (var resultWriter = new Utf8JsonWriter(result))
            {
                found = target.TryInvoke(method, parameters, resultWriter);
            }
            if (found)
            {
                if (!hasId) return false;
                writer.WriteStartObject();
                writer.WriteString("jsonrpc"u8, "2.0"u8);
                writer.WritePropertyName("id"u8);
                id.WriteTo(writer);
                writer.WritePropertyName("result"u8);
                writer.WriteRawValue(result.WrittenSpan, skipInputValidation: true);
                writer.WriteEndObject();
                return true;
            }
            errorCode = JsonRpcErrorCodes.MethodNotFound;
            errorDetail = $"the method {Truncate(method)} does not exist or is not available";
        }
        catch (JsonRpcException e)
        {
            errorCode = e.Code;
            errorDetail = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            errorCode = JsonRpcErrorCodes.InternalError;
            errorDetail = "internal error";
        }
        if (!hasId) return false;
        WriteError(writer, id, errorCode, errorDetail);
        return true;
    }

    private static string Truncate(string method) => method.Length <= 64 ? method : method[..64] + "…";

    /// <summary>Writes a complete error response; <paramref name="id"/> undefined writes <c>"id":null</c>.</summary>
    public static void WriteError(Utf8JsonWriter writer, JsonElement id, int code, string detail)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id.ValueKind == JsonValueKind.Undefined) writer.WriteNullValue();
        else id.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        // common.md: -32000 carries {"err": detail}; every other code carries null data, so the detail
        // follows the spec's message after a colon ("Invalid params: payload.blockHash must be …").
        if (code == JsonRpcErrorCodes.ServerError)
        {
            writer.WriteString("message"u8, JsonRpcErrorCodes.MessageOf(code));
            writer.WriteStartObject("data"u8);
            writer.WriteString("err"u8, detail);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("message"u8, JsonRpcErrorCodes.MessageOf(code) + ": " + detail);
            writer.WriteNull("data"u8);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
