using System.Buffers;
using System.Text.Json;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Demo;

/// <summary>What a demo run showed (spec/cli.md, <c>mgr demo</c>): the expected root (from the devnet store), the
/// state size, the seeder's egress and a row per node. <see cref="Success"/> when every leecher synced to the expected
/// root, verified in its own store, and nothing failed.</summary>
public sealed record DemoResult(Hash256 ExpectedRoot, ulong ExpectedBlock, long StateBytes, long SeederEgressBytes,
    IReadOnlyList<DemoNodeResult> Nodes, double Seconds)
{
    /// <summary>Why the run could not show a full sync (a child exited, a timeout, an interruption); null when it could.</summary>
    public string? Failure { get; init; }

    public bool Success => Failure is null && Nodes.All(n => n.Role != "leecher" || (n.Synced && Matches(n)));

    /// <summary>True when <paramref name="node"/> ended with the expected root.</summary>
    public bool Matches(DemoNodeResult node) =>
        node is not null && node.Root == (node.StateBlock?.Root ?? ExpectedRoot) && (node.Role != "leecher" || node.RootVerifiedInStore);

    /// <summary>Of <see cref="SeederEgressBytes"/>, the state the seeder uploaded (chunks, chunk diffs, code), without
    /// headers and protocol messages; null when the seeder does not report it.</summary>
    public long? SeederStateEgressBytes { get; init; }

    /// <summary>The seeder's state egress over the state size (1.0 = it uploaded the state exactly once).</summary>
    public double? StateEgressPerStateBytes => StateBytes > 0 && SeederStateEgressBytes is { } bytes ? (double)bytes / StateBytes : null;

    /// <summary>The seeder's egress over the state size (1.0 = it uploaded the state exactly once).</summary>
    public double? EgressPerStateBytes => StateBytes > 0 ? (double)SeederEgressBytes / StateBytes : null;

    /// <summary>The JSON document of <c>mgr demo --json</c>, UTF-8.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("success", Success);
            if (Failure is null) json.WriteNull("failure");
            else json.WriteString("failure", Failure);
            json.WriteString("expectedRoot", ExpectedRoot.ToString());
            json.WriteNumber("expectedBlock", ExpectedBlock);
            json.WriteNumber("stateBytes", StateBytes);
            json.WriteNumber("seederEgressBytes", SeederEgressBytes);
            if (EgressPerStateBytes is { } ratio) json.WriteNumber("seederEgressPerStateBytes", Math.Round(ratio, 4));
            else json.WriteNull("seederEgressPerStateBytes");
            WriteNullable(json, "seederStateEgressBytes", SeederStateEgressBytes);
            WriteNullable(json, "seederStateEgressPerStateBytes", StateEgressPerStateBytes is { } stateRatio ? Math.Round(stateRatio, 4) : null);
            json.WriteNumber("seconds", Math.Round(Seconds, 3));
            json.WriteStartArray("nodes");
            foreach (DemoNodeResult node in Nodes)
            {
                json.WriteStartObject();
                json.WriteString("name", node.Name);
                json.WriteString("role", node.Role);
                if (node.Root is { } root) json.WriteString("root", root.ToString());
                else json.WriteNull("root");
                json.WriteBoolean("rootMatches", Matches(node));
                json.WriteBoolean("rootVerifiedInStore", node.RootVerifiedInStore);
                if (node.StateBlock is { } followed) json.WriteNumber("stateBlock", followed.Number);
                else json.WriteNull("stateBlock");
                json.WriteBoolean("synced", node.Synced);
                WriteNullable(json, "secondsToSynced", node.SecondsToSynced is { } s ? Math.Round(s, 3) : null);
                json.WriteNumber("bytesIn", node.BytesIn);
                json.WriteNumber("bytesOut", node.BytesOut);
                WriteNullable(json, "duplicateBytes", node.DuplicateBytes);
                WriteNullable(json, "duplicateRatio", node.DuplicateRatio is { } d ? Math.Round(d, 4) : null);
                if (node.Problem is null) json.WriteNull("problem");
                else json.WriteString("problem", node.Problem);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }
}
