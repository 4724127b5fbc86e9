using System.Text.Json;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Demo;

/// <summary>The part of a node's <c>GET /api/status</c> document (Dashboard.StatusJson) the demo uses.
/// <see cref="DuplicateBytes"/> is null while the node does not publish it.</summary>
public sealed record NodeStatus(string Role, bool Synced, Hash256? StateRoot, ulong? EpochBlock, double Coverage, long BytesIn, long BytesOut,
    long? DuplicateBytes, long ChunksDuplicate, int PeerCount)
{
    /// <summary>Messages whose payload is state (chunks, chunk diffs, code), as opposed to headers and protocol chatter.</summary>
    public static readonly string[] StateMessages = ["StateData", "ChunkDiff", "ByteCodes", "TrieNodes", "StateDiff"];

    /// <summary>Payload bytes of state sent (<see cref="StateMessages"/>), or null when the node does not break its
    /// traffic down by message.</summary>
    public long? StateBytesOut { get; init; }

    /// <summary>Largest status document accepted; a bigger one is a broken node, not a reason to allocate more.</summary>
    public const int MaxDocumentBytes = 8 << 20;

    /// <summary>Reads the document; throws <see cref="DemoException"/> when it is not the status JSON.</summary>
    public static NodeStatus Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxDocumentBytes) throw new DemoException($"status document of {utf8.Length} bytes is larger than {MaxDocumentBytes}");
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            JsonElement totals = root.GetProperty("totals");
            string? stateRoot = root.TryGetProperty("stateRoot", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            Hash256? parsedRoot = null;
            if (stateRoot is not null)
            {
                if (!Hash256.TryParse(stateRoot, out Hash256 hash)) throw new DemoException($"status stateRoot '{stateRoot}' is not a 32-byte hex hash");
                parsedRoot = hash;
            }
            long? stateOut = null;
            if (totals.TryGetProperty("messages", out JsonElement messages) && messages.ValueKind == JsonValueKind.Object)
            {
                stateOut = 0;
                foreach (string name in StateMessages)
                    if (messages.TryGetProperty(name, out JsonElement entry)) stateOut += entry.GetProperty("out").GetInt64();
            }
            return new NodeStatus(
                root.GetProperty("role").GetString() ?? "",
                root.GetProperty("synced").GetBoolean(),
                parsedRoot,
                root.TryGetProperty("epochBlock", out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetUInt64() : null,
                root.TryGetProperty("coverage", out JsonElement c) ? c.GetProperty("fraction").GetDouble() : 0,
                totals.GetProperty("bytesIn").GetInt64(),
                totals.GetProperty("bytesOut").GetInt64(),
                totals.TryGetProperty("duplicateBytes", out JsonElement d) && d.ValueKind == JsonValueKind.Number ? d.GetInt64() : null,
                totals.TryGetProperty("chunksDuplicate", out JsonElement cd) ? cd.GetInt64() : 0,
                root.TryGetProperty("peerCount", out JsonElement p) ? p.GetInt32() : 0) { StateBytesOut = stateOut };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DemoException($"not a node status document: {ex.Message}", ex);
        }
    }
}
