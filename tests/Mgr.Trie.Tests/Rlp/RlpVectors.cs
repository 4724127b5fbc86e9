using System.Text.Json;
using Mgr.Trie.Tests.TestData;

namespace Mgr.Trie.Tests.Rlp;

/// <summary>The ethereum-tests RLP vectors from <c>shared/vectors/ethereum-tests/RLPTests</c>.</summary>
public static class RlpVectors
{
    /// <summary>rlptest.json: (name, <c>in</c> as raw JSON, <c>out</c> hex).</summary>
    public static TheoryData<string, string, string> Valid() => Load("rlptest.json");

    /// <summary>invalidRLPTest.json: (name, "INVALID", <c>out</c> hex).</summary>
    public static TheoryData<string, string, string> Invalid() => Load("invalidRLPTest.json");

    /// <summary>RandomRLPTests/*.json: (name, "VALID", <c>out</c> hex).</summary>
    public static TheoryData<string, string, string> Random()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string file in Directory.GetFiles(SharedVectors.Path("ethereum-tests", "RLPTests", "RandomRLPTests"), "*.json").Order(StringComparer.Ordinal))
        {
            foreach ((string name, string input, string output) in Read(file)) data.Add($"{Path.GetFileName(file)}/{name}", input, output);
        }
        Assert.True(data.Count > 0, "no RandomRLPTests vectors");
        return data;
    }

    /// <summary>Vector hex, with or without 0x, in either case.</summary>
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);

    private static TheoryData<string, string, string> Load(string file)
    {
        var data = new TheoryData<string, string, string>();
        foreach ((string name, string input, string output) in Read(SharedVectors.Path("ethereum-tests", "RLPTests", file))) data.Add(name, input, output);
        Assert.True(data.Count > 0, $"no vectors in {file}");
        return data;
    }

    private static List<(string Name, string In, string Out)> Read(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<(string Name, string In, string Out)>();
        foreach (JsonProperty test in json.RootElement.EnumerateObject())
        {
            cases.Add((test.Name, test.Value.GetProperty("in").GetRawText(), test.Value.GetProperty("out").GetString()!));
        }
        return cases;
    }
}
