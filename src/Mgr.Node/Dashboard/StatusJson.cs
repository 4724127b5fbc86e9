using System.Buffers;
using System.Text.Json;
using Mgr.Node.Progress;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

using Mgr.Protocol.Messages;

namespace Mgr.Node.Dashboard;

/// <summary>The JSON document of <c>GET /api/status</c> (shape in docs/dashboard.md): a snapshot with its rates.
/// Coverage sets are sorted inclusive [start, end] pairs of 0x-hex keys; a set of more than
/// <see cref="MaxIntervals"/> intervals is widened to <see cref="MaxIntervals"/> equal slices of the keyspace (each
/// slice holding any key counts as held) and marked <c>"coarse": true</c>, so the document stays small however
/// fragmented a peer's coverage is. <c>fraction</c> is always exact.</summary>
public static class StatusJson
{
    /// <summary>Most intervals written per coverage set.</summary>
    public const int MaxIntervals = 1024;

    /// <summary>Peers written at most (the busiest by traffic first).</summary>
    public const int MaxPeers = 256;

    private const int SliceBits = 10; // 2^10 = MaxIntervals slices

    /// <summary>Writes the document for <paramref name="snapshot"/> and <paramref name="rates"/> as UTF-8.</summary>
    public static void Write(IBufferWriter<byte> output, NodeStatusSnapshot snapshot, NodeRates rates)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(rates);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("takenAt", snapshot.TakenAt.UtcDateTime);
        json.WriteString("peerId", snapshot.PeerId);
        json.WriteString("role", RoleName(snapshot.Role));
        json.WriteNumber("networkId", snapshot.NetworkId);
        WriteNullable(json, "networkName", snapshot.NetworkName);
        WriteNullable(json, "epoch", snapshot.Epoch);
        WriteNullable(json, "epochBlock", snapshot.EpochBlock);
        WriteNullable(json, "stateRoot", snapshot.StateRoot?.ToString());
        json.WriteBoolean("synced", snapshot.Synced);
        WriteCoverage(json, "coverage", snapshot.Coverage);
        if (snapshot.RideChunk is { } ride)
        {
            json.WriteStartObject("ride");
            json.WriteString("start", ride.Start.ToString());
            json.WriteString("end", ride.End.ToString());
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("ride");
        }
        json.WriteStartObject("totals");
        json.WriteNumber("bytesIn", snapshot.BytesIn);
        json.WriteNumber("bytesOut", snapshot.BytesOut);
        json.WriteNumber("chunksVerified", snapshot.ChunksVerified);
        json.WriteNumber("chunksDuplicate", snapshot.ChunksDuplicate);
        json.WriteNumber("duplicateBytes", snapshot.DuplicateBytes);
        json.WriteNumber("chunksRejected", snapshot.ChunksRejected);
        json.WriteStartObject("messages");
        foreach ((MessageCode code, (long bytesIn, long bytesOut)) in snapshot.BytesByMessage.OrderBy(static entry => entry.Key))
        {
            json.WriteStartObject(code.ToString());
            json.WriteNumber("in", bytesIn);
            json.WriteNumber("out", bytesOut);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("rates");
        WriteNullable(json, "bytesInPerSecond", rates.BytesInPerSecond);
        WriteNullable(json, "bytesOutPerSecond", rates.BytesOutPerSecond);
        WriteNullable(json, "chunksPerSecond", rates.ChunksPerSecond);
        json.WriteEndObject();
        json.WriteStartArray("stages");
        foreach (StageRate stage in rates.Stages) WriteStage(json, stage);
        json.WriteEndArray();
        json.WriteNumber("peerCount", snapshot.Peers.Count);
        json.WriteStartArray("peers");
        foreach (PeerStatus peer in snapshot.Peers.OrderByDescending(p => p.BytesIn + p.BytesOut).ThenBy(p => p.PeerId, StringComparer.Ordinal).Take(MaxPeers))
        {
            json.WriteStartObject();
            json.WriteString("peerId", peer.PeerId);
            json.WriteString("role", RoleName(peer.Role));
            WriteCoverage(json, "coverage", peer.Coverage);
            json.WriteNumber("bytesIn", peer.BytesIn);
            json.WriteNumber("bytesOut", peer.BytesOut);
            json.WriteNumber("penaltyScore", Finite(peer.PenaltyScore));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The document as a byte array.</summary>
    public static byte[] ToUtf8(NodeStatusSnapshot snapshot, NodeRates rates)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(buffer, snapshot, rates);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStage(Utf8JsonWriter json, StageRate stage)
    {
        json.WriteStartObject();
        json.WriteString("name", stage.Name);
        json.WriteNumber("done", Finite(stage.Done));
        WriteNullable(json, "total", stage.Total);
        json.WriteString("unit", stage.Unit);
        WriteNullable(json, "fraction", stage.Total is > 0 and var total ? Math.Clamp(stage.Done / total, 0, 1) : null);
        WriteNullable(json, "perSecond", stage.PerSecond);
        WriteNullable(json, "etaSeconds", stage.Remaining?.TotalSeconds);
        json.WriteEndObject();
    }

    private static void WriteCoverage(Utf8JsonWriter json, string name, KeyRangeSet coverage)
    {
        json.WriteStartObject(name);
        json.WriteNumber("fraction", Finite(coverage.Coverage));
        bool coarse = coverage.Count > MaxIntervals;
        json.WriteBoolean("coarse", coarse);
        json.WriteStartArray("intervals");
        if (coarse) WriteSlices(json, coverage);
        else foreach (KeyRange range in coverage.Intervals) WriteInterval(json, range.Start, range.End);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    // Marks each of the 2^SliceBits slices that holds any covered key, then writes runs of marked slices.
    private static void WriteSlices(Utf8JsonWriter json, KeyRangeSet coverage)
    {
        Span<bool> held = stackalloc bool[MaxIntervals];
        foreach (KeyRange range in coverage.Intervals)
        {
            int first = (int)(range.Start.Word(0) >> (64 - SliceBits)), last = (int)(range.End.Word(0) >> (64 - SliceBits));
            held[first..(last + 1)].Fill(true);
        }
        for (int slice = 0; slice < MaxIntervals; slice++)
        {
            if (!held[slice]) continue;
            int end = slice;
            while (end + 1 < MaxIntervals && held[end + 1]) end++;
            WriteInterval(json, SliceStart(slice), end + 1 == MaxIntervals ? Hash256.MaxValue : SliceStart(end + 1).Decrement());
            slice = end;
        }
    }

    private static Hash256 SliceStart(int slice)
    {
        Span<byte> key = stackalloc byte[32];
        key.Clear();
        ushort top = (ushort)(slice << (16 - SliceBits));
        key[0] = (byte)(top >> 8);
        key[1] = (byte)top;
        return new Hash256(key);
    }

    private static void WriteInterval(Utf8JsonWriter json, Hash256 start, Hash256 end)
    {
        json.WriteStartArray();
        json.WriteStringValue(start.ToString());
        json.WriteStringValue(end.ToString());
        json.WriteEndArray();
    }

    private static string RoleName(Mgr.Protocol.Messages.Role role) => role.ToString().ToLowerInvariant();

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, ulong? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number)) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }
}
