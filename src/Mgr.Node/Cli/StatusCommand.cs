using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mgr.Node.Stages;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Cli;

/// <summary><c>mgr status --datadir &lt;dir&gt; [--json]</c>: each pipeline stage's progress and the stored
/// header segments of a node's data directory (JSON contract in spec/cli.md).</summary>
internal static class StatusCommand
{
    /// <summary>Exit code when the store exists but cannot be opened (newer schema, damaged, unreadable).</summary>
    public const int StoreFailureExitCode = 1;

    public static Command Create()
    {
        var dataDir = new Option<string>("--datadir") { Description = "Node data directory.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the status as one JSON object." };
        var command = new Command("status", CommandHelp.Describe("Show each sync stage's progress in a data directory.", "mgr status --datadir /var/lib/mgr", "mgr status --datadir /var/lib/mgr --json")) { dataDir, json };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            string directory = parseResult.GetValue(dataDir)!;
            string storePath = InitCommand.StorePath(directory);
            if (!Directory.Exists(storePath)) throw new CliInputException($"{directory}: no node store (expected {storePath})");
            try
            {
                using RocksDbStore store = RocksDbStore.OpenReadOnly(storePath);
                output.WriteLine(parseResult.GetValue(json) ? Json(directory, store) : Text(store));
                return CliInput.SuccessExitCode;
            }
            catch (Exception e) when (e is StorageException or SchemaVersionException or IOException or UnauthorizedAccessException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"mgr status: {directory}: {e.Message.ReplaceLineEndings(" ")}");
                return StoreFailureExitCode;
            }
        }));
        return command;
    }

    /// <summary>The JSON status document of <paramref name="store"/>.</summary>
    public static string Json(string directory, IKeyValueReader store)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("datadir", directory);
            json.WriteStartArray("stages");
            foreach (StageId stage in Enum.GetValues<StageId>())
            {
                StageCheckpoint? checkpoint = StageCheckpoints.Read(store, stage);
                json.WriteStartObject();
                json.WriteString("stage", Name(stage));
                json.WriteNumber("id", (ushort)stage);
                if (checkpoint is { } c) json.WriteNumber("blockNumber", c.BlockNumber);
                else json.WriteNull("blockNumber");
                json.WriteBoolean("inProgress", checkpoint is { Cursor.IsEmpty: false });
                if (stage == StageId.Headers && checkpoint is { Cursor.Length: 8 } h)
                    json.WriteNumber("downloadedDownTo", BinaryPrimitives.ReadUInt64BigEndian(h.Cursor.Span));
                else if (checkpoint is { Cursor.IsEmpty: false } other)
                    json.WriteString("cursor", "0x" + Convert.ToHexStringLower(other.Cursor.Span));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("headerSegments");
            foreach (HeaderSegment segment in HeaderSegmentStore.ReadAll(store))
            {
                json.WriteStartObject();
                json.WriteNumber("from", segment.From);
                json.WriteNumber("to", segment.To);
                json.WriteString("fromHash", segment.FromHash.ToString());
                json.WriteString("toHash", segment.ToHash.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Text(IKeyValueReader store)
    {
        var text = new StringBuilder();
        foreach (StageId stage in Enum.GetValues<StageId>())
        {
            StageCheckpoint? checkpoint = StageCheckpoints.Read(store, stage);
            string progress = checkpoint is { } c ? $"complete to block {c.BlockNumber.ToString("N0", CultureInfo.InvariantCulture)}" : "not started";
            if (stage == StageId.Headers && checkpoint is { Cursor.Length: 8 } h)
                progress += $", downloading: down to block {BinaryPrimitives.ReadUInt64BigEndian(h.Cursor.Span).ToString("N0", CultureInfo.InvariantCulture)}";
            else if (checkpoint is { Cursor.IsEmpty: false }) progress += ", in progress";
            text.Append(CultureInfo.InvariantCulture, $"{Name(stage),-8} {progress}\n");
        }
        foreach (HeaderSegment segment in HeaderSegmentStore.ReadAll(store))
            text.Append(CultureInfo.InvariantCulture, $"headers held: {segment.From}..{segment.To}\n");
        return text.ToString().TrimEnd('\n');
    }

    private static string Name(StageId stage) => stage.ToString().ToLowerInvariant();
}
