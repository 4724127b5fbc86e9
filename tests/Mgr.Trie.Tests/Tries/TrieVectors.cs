using System.Text;
using System.Text.Json;
using Mgr.Trie.Tests.TestData;

namespace Mgr.Trie.Tests.Tries;

/// <summary>Reads the ethereum-tests TrieTests files: keys and values are 0x-hex or UTF-8 text, a null value deletes.</summary>
internal static class TrieVectors
{
    public static IEnumerable<object[]> Cases(string file) =>
        Document(file).RootElement.EnumerateObject().Select(p => new object[] { file, p.Name });

    public static JsonElement Case(string file, string name) => Document(file).RootElement.GetProperty(name);

    public static List<(byte[] Key, byte[]? Value)> Inputs(JsonElement testCase)
    {
        JsonElement input = testCase.GetProperty("in");
        if (input.ValueKind == JsonValueKind.Object)
            return input.EnumerateObject().Select(p => (Bytes(p.Name)!, Bytes(p.Value))).ToList();
        return input.EnumerateArray().Select(pair => (Bytes(pair[0])!, Bytes(pair[1]))).ToList();
    }

    public static byte[]? Bytes(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : Bytes(element.GetString()!);

    public static byte[] Bytes(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Convert.FromHexString(text[2..]) : Encoding.UTF8.GetBytes(text);

    private static JsonDocument Document(string file) =>
        JsonDocument.Parse(File.ReadAllText(SharedVectors.Path("ethereum-tests", "TrieTests", file)));
}
