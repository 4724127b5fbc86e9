using System.CommandLine;
using System.Text;
using System.Text.Json;
using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Tries;

namespace Mgr.Node.Cli;

/// <summary><c>mgr trie root &lt;kv.json&gt; [--secure]</c> and <c>mgr trie verify-range &lt;case.json&gt;</c>:
/// the root of a key/value set, and the verdict on a snap/1 range proof (contracts in spec/cli.md).</summary>
internal static class TrieCommand
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 8 };

    public static Command Create() => new("trie", "Merkle-Patricia trie tools.") { CreateRoot(), CreateVerifyRange() };

    private static Command CreateRoot()
    {
        var file = new Argument<string>("kv.json") { Description = "A JSON array of [\"0xkey\", \"0xvalue\"] pairs, in any order." };
        var secure = new Option<bool>("--secure") { Description = "Hash every key with Keccak-256 first (state and storage tries)." };
        var command = new Command("root", CommandHelp.Describe("Print the root hash of a trie holding the given pairs.", "mgr trie root pairs.json", "mgr trie root pairs.json --secure")) { file, secure };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            List<KeyValuePair<byte[], byte[]>> entries = ReadPairs(CliInput.ReadFile(parseResult.GetValue(file)!));
            Hash256 root;
            try
            {
                root = parseResult.GetValue(secure) ? TrieRoots.ComputeSecure(entries) : TrieRoots.Compute(entries);
            }
            catch (TrieBuildException e)
            {
                throw new CliInputException(e.Reason switch
                {
                    TrieBuildError.EmptyValue => "a value is empty (a trie holds no empty values)",
                    _ => "a key appears twice",
                }, e);
            }
            output.WriteLine(JsonSerializer.Serialize(root.ToString()));
            return CliInput.SuccessExitCode;
        }));
        return command;
    }

    private static Command CreateVerifyRange()
    {
        var file = new Argument<string>("case.json") { Description = "{\"root\",\"origin\",\"keys\":[…],\"values\":[…],\"proof\":[…] or null}, 0x-hex." };
        var command = new Command("verify-range", CommandHelp.Describe("Verify a snap/1 range proof; print {\"valid\",\"hasMore\"} (exit 0 either way).", "mgr trie verify-range case.json")) { file };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            RangeCase rangeCase = ReadRangeCase(CliInput.ReadFile(parseResult.GetValue(file)!));
            RangeProofResult result = RangeProofVerifier.Verify(rangeCase.Root, rangeCase.Origin, rangeCase.Leaves, rangeCase.Proof);
            output.WriteLine(Verdict(result));
            return CliInput.SuccessExitCode;
        }));
        return command;
    }

    private static List<KeyValuePair<byte[], byte[]>> ReadPairs(byte[] utf8Json)
    {
        using JsonDocument document = Parse(utf8Json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array) throw new CliInputException("kv.json: expected an array of [key, value] pairs");
        var entries = new List<KeyValuePair<byte[], byte[]>>(root.GetArrayLength());
        int index = 0;
        foreach (JsonElement pair in root.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                throw new CliInputException($"kv.json[{index}]: expected a [key, value] pair");
            entries.Add(new(HexElement(pair[0], $"kv.json[{index}][0]"), HexElement(pair[1], $"kv.json[{index}][1]")));
            index++;
        }
        return entries;
    }

    private static RangeCase ReadRangeCase(byte[] utf8Json)
    {
        using JsonDocument document = Parse(utf8Json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new CliInputException("case.json: expected an object");
        Hash256 stateRoot = HashElement(Property(root, "root"), "root");
        JsonElement proofElement = Property(root, "proof");
        List<byte[]>? proof = proofElement.ValueKind == JsonValueKind.Null ? null : HexArray(proofElement, "proof");
        JsonElement originElement = root.TryGetProperty("origin", out JsonElement origin) ? origin : default;
        Hash256 originKey;
        if (originElement.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            if (proof is not null) throw new CliInputException("origin: required when a proof is given");
            originKey = Hash256.Zero;
        }
        else
        {
            originKey = HashElement(originElement, "origin");
        }
        List<byte[]> keys = HexArray(Property(root, "keys"), "keys");
        List<byte[]> values = HexArray(Property(root, "values"), "values");
        if (keys.Count != values.Count) throw new CliInputException($"keys and values differ in length ({keys.Count} and {values.Count})");
        var leaves = new List<TrieLeaf>(keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length != Hash256.Length) throw new CliInputException($"keys[{i}]: expected 32 bytes, got {keys[i].Length}");
            leaves.Add(new TrieLeaf(new Hash256(keys[i]), values[i]));
        }
        return new RangeCase(stateRoot, originKey, leaves, proof);
    }

    private static string Verdict(RangeProofResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("valid", result.IsValid);
            json.WriteBoolean("hasMore", result.IsValid && result.HasMore);
            if (!result.IsValid) json.WriteString("reason", result.Error.ToString());
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonDocument Parse(byte[] utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CliInputException($"not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out JsonElement value) ? value : throw new CliInputException($"{name}: required field is missing");

    private static List<byte[]> HexArray(JsonElement array, string name)
    {
        if (array.ValueKind != JsonValueKind.Array) throw new CliInputException($"{name}: expected an array of 0x-hex strings");
        var items = new List<byte[]>(array.GetArrayLength());
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray()) items.Add(HexElement(item, $"{name}[{index++}]"));
        return items;
    }

    private static Hash256 HashElement(JsonElement element, string name)
    {
        byte[] bytes = HexElement(element, name);
        if (bytes.Length != Hash256.Length) throw new CliInputException($"{name}: expected 32 bytes, got {bytes.Length}");
        return new Hash256(bytes);
    }

    private static byte[] HexElement(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.String ? CliInput.ParseHex(element.GetString(), name) : throw new CliInputException($"{name}: expected a 0x-hex string");

    private sealed record RangeCase(Hash256 Root, Hash256 Origin, IReadOnlyList<TrieLeaf> Leaves, IReadOnlyList<byte[]>? Proof);
}
