using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mgr.Protocol.Chunking;
using Mgr.Protocol.Epochs;
using Mgr.Protocol.ForkIds;
using Mgr.Protocol.Messages;
using Mgr.Protocol.Ranges;
using Mgr.Trie.Primitives;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>A readable JSON view of a message's fields (hashes and bytes as 0x-hex): the <c>fields</c> of a vector.</summary>
internal static class MessageJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static JsonNode Describe(IMessage message) => JsonSerializer.SerializeToNode(message, message.GetType(), Options)!;

    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
        };
        options.Converters.Add(new HashConverter());
        options.Converters.Add(new BytesConverter());
        options.Converters.Add(new RangeSetConverter());
        options.Converters.Add(new ChunkIdConverter());
        options.Converters.Add(new EpochConverter());
        options.Converters.Add(new ForkIdConverter());
        options.Converters.Add(new SlotsConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    private sealed class HashConverter : WriteOnly<Hash256>
    {
        public override void Write(Utf8JsonWriter writer, Hash256 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class BytesConverter : WriteOnly<ReadOnlyMemory<byte>>
    {
        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => writer.WriteStringValue(MessageJson.Hex(value.Span));
    }

    private sealed class SlotsConverter : WriteOnly<ReadOnlyMemory<SlotEntry>>
    {
        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<SlotEntry> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    private sealed class RangeSetConverter : WriteOnly<KeyRangeSet>
    {
        public override void Write(Utf8JsonWriter writer, KeyRangeSet value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (KeyRange range in value.Intervals)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(range.Start.ToString());
                writer.WriteStringValue(range.End.ToString());
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
    }

    private sealed class ChunkIdConverter : WriteOnly<ChunkId>
    {
        public override void Write(Utf8JsonWriter writer, ChunkId value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            if (value.Account is { } account) writer.WriteString("account", account.ToString());
            else writer.WriteNull("account");
            writer.WriteNumber("depth", value.Depth);
            writer.WriteString("path", value.Path.ToString()[..(2 + value.Depth)]);
            writer.WriteEndObject();
        }
    }

    private sealed class EpochConverter : WriteOnly<Epoch>
    {
        public override void Write(Utf8JsonWriter writer, Epoch value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("number", value.Number);
            writer.WriteString("boundary_hash", value.BoundaryHash.ToString());
            writer.WriteString("state_root", value.StateRoot.ToString());
            writer.WriteNumber("chunk_depth", value.ChunkDepth);
            writer.WriteEndObject();
        }
    }

    private sealed class ForkIdConverter : WriteOnly<ForkId>
    {
        public override void Write(Utf8JsonWriter writer, ForkId value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("hash", $"0x{value.Hash:x8}");
            writer.WriteNumber("next", value.Next);
            writer.WriteEndObject();
        }
    }

    private abstract class WriteOnly<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Vectors are compared as JSON, not read back into messages.");
    }
}
