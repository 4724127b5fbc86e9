using System.Text.Json;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>The part of a leecher's <c>GET /api/status</c> document (docs/dashboard.md) the restart soak reads: where
/// the sync stands and how many state bytes this process received and sent.</summary>
internal sealed record SoakStatus
{
    // The messages whose payload is state the soak counts (as NodeSwarm.StateEgress does in process).
    private static readonly string[] StatePayload = ["StateData", "ChunkDiff", "ByteCodes"];

    /// <summary>When the node took the snapshot the document shows (it publishes one every 500 ms).</summary>
    public required DateTimeOffset TakenAt { get; init; }

    public required bool Synced { get; init; }

    /// <summary>The epoch the engine works on; null before the pipeline handed one over.</summary>
    public ulong? Epoch { get; init; }

    /// <summary>Share of the account keyspace held at the epoch's root (1 for a seeder).</summary>
    public double Coverage { get; init; }

    /// <summary>External-storage accounts not complete yet.</summary>
    public double StoragePending { get; init; }

    /// <summary>Code blobs still missing.</summary>
    public double CodesMissing { get; init; }

    /// <summary>StateData payload bytes this process received.</summary>
    public long StateDataIn { get; init; }

    /// <summary>StateData, ChunkDiff and ByteCodes payload bytes this process received.</summary>
    public long StatePayloadIn { get; init; }

    /// <summary>Bytes of chunks this process received while it already held them.</summary>
    public long DuplicateBytes { get; init; }

    /// <summary>StateData payload bytes this process sent.</summary>
    public long StateDataOut { get; init; }

    /// <summary>StateData, ChunkDiff and ByteCodes payload bytes this process sent.</summary>
    public long StatePayloadOut { get; init; }

    /// <summary>The highest penalty score this node gives any of its peers.</summary>
    public double MaxPeerPenalty { get; init; }

    /// <summary>The phase this status shows.</summary>
    public KillPhase Phase
    {
        get
        {
            if (Synced) return KillPhase.Synced;
            if (Epoch is null) return KillPhase.Headers;
            if (Coverage < 1) return KillPhase.Ride;
            return StoragePending > 0 || CodesMissing > 0 ? KillPhase.Heal : KillPhase.Verify;
        }
    }

    /// <summary>Reads the document; <see cref="JsonException"/> when it is not the status JSON.</summary>
    public static SoakStatus Parse(ReadOnlySpan<byte> utf8)
    {
        using JsonDocument document = JsonDocument.Parse(utf8.ToArray());
        JsonElement root = document.RootElement;
        try
        {
            double storagePending = 0, codesMissing = 0;
            if (root.TryGetProperty("stages", out JsonElement stages))
            {
                foreach (JsonElement stage in stages.EnumerateArray())
                {
                    string? name = stage.GetProperty("name").GetString();
                    double done = stage.GetProperty("done").GetDouble();
                    double total = stage.GetProperty("total") is { ValueKind: JsonValueKind.Number } t ? t.GetDouble() : 0;
                    if (name == "storage") storagePending = total - done;
                    else if (name == "code") codesMissing = total - done;
                }
            }
            JsonElement messages = root.GetProperty("totals").GetProperty("messages");
            double maxPenalty = 0;
            if (root.TryGetProperty("peers", out JsonElement peers))
                foreach (JsonElement peer in peers.EnumerateArray()) maxPenalty = Math.Max(maxPenalty, peer.GetProperty("penaltyScore").GetDouble());
            return new SoakStatus
            {
                TakenAt = root.GetProperty("takenAt").GetDateTimeOffset(),
                Synced = root.GetProperty("synced").GetBoolean(),
                Epoch = root.GetProperty("epoch") is { ValueKind: JsonValueKind.Number } epoch ? epoch.GetUInt64() : null,
                Coverage = root.GetProperty("coverage").GetProperty("fraction").GetDouble(),
                StoragePending = storagePending,
                CodesMissing = codesMissing,
                StateDataIn = Bytes(messages, "in", ["StateData"]),
                StatePayloadIn = Bytes(messages, "in", StatePayload),
                DuplicateBytes = root.GetProperty("totals").GetProperty("duplicateBytes").GetInt64(),
                StateDataOut = Bytes(messages, "out", ["StateData"]),
                StatePayloadOut = Bytes(messages, "out", StatePayload),
                MaxPeerPenalty = maxPenalty,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new JsonException($"not a node status document: {e.Message}", e);
        }
    }

    private static long Bytes(JsonElement messages, string direction, string[] names) =>
        names.Sum(name => messages.TryGetProperty(name, out JsonElement entry) ? entry.GetProperty(direction).GetInt64() : 0);
}
