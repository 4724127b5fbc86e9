using System.Text.Json;
using System.Text.Json.Nodes;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tries;

namespace Mgr.Trie.Tests.Interop;

public class EthereumjsTrieRootTests
{
    [Fact]
    public void Random_tries_of_up_to_5000_leaves_have_the_same_root_as_in_ethereumjs()
    {
        var cases = new List<(string Name, List<KeyValuePair<byte[], byte[]>> Entries, bool Secure)>();
        int seed = 0;
        foreach (int size in new[] { 0, 1, 2, 3, 16, 17, 100, 1000, 5000 }) cases.Add(($"hashed keys, {size} leaves", HashedKeys(new Random(++seed), size), false));
        foreach (int size in new[] { 1, 2, 5, 50, 300 }) cases.Add(($"short prefix-sharing keys, {size} leaves", PrefixKeys(new Random(++seed), size), false));
        foreach (int size in new[] { 1, 100, 2000 }) cases.Add(($"secure, {size} address keys", AddressKeys(new Random(++seed), size), true));
        var requests = cases.Select(c => new JsonObject
        {
            ["op"] = "root",
            ["secure"] = c.Secure,
            ["entries"] = new JsonArray([.. c.Entries.Select(e => (JsonNode)new JsonArray(EthereumjsOracle.Hex(e.Key), EthereumjsOracle.Hex(e.Value)))]),
        }).ToList();

        IReadOnlyList<JsonElement> answers = EthereumjsOracle.Ask(requests);

        for (int i = 0; i < cases.Count; i++)
        {
            Hash256 ours = cases[i].Secure ? TrieRoots.ComputeSecure(cases[i].Entries) : TrieRoots.Compute(cases[i].Entries);
            Assert.True(Hash256.Parse(answers[i].GetProperty("root").GetString()!) == ours, $"{cases[i].Name}: ethereumjs {answers[i]} vs ours {ours}");
        }
    }

    // 32-byte random keys with values of 1..80 bytes (short ones make nodes that are embedded in their parent).
    private static List<KeyValuePair<byte[], byte[]>> HashedKeys(Random random, int count) =>
        Distinct(random, count, () => RandomBytes(random, 32));

    // 1..5-byte keys over a 3-letter alphabet, so keys are often prefixes of one another (values in branches).
    private static List<KeyValuePair<byte[], byte[]>> PrefixKeys(Random random, int count)
    {
        byte[] alphabet = [0x00, 0x1f, 0xf0];
        return Distinct(random, count, () => [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
    }

    private static List<KeyValuePair<byte[], byte[]>> AddressKeys(Random random, int count) =>
        Distinct(random, count, () => RandomBytes(random, 20));

    private static List<KeyValuePair<byte[], byte[]>> Distinct(Random random, int count, Func<byte[]> key)
    {
        var seen = new HashSet<string>();
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        for (int attempts = 0; entries.Count < count && attempts < count * 50; attempts++)
        {
            byte[] k = key();
            if (seen.Add(Convert.ToHexString(k))) entries.Add(new(k, RandomBytes(random, random.Next(1, 81))));
        }
        return entries;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
