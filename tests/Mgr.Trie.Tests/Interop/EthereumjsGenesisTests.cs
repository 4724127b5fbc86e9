using System.Text.Json;
using System.Text.Json.Nodes;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tests.Genesis;

namespace Mgr.Trie.Tests.Interop;

public class EthereumjsGenesisTests
{
    [Fact]
    public void Genesis_fixtures_and_random_allocations_get_the_same_state_root_and_hash_as_in_ethereumjs()
    {
        var files = new List<(string Name, string Json)>();
        foreach (string name in GenesisFixtures.Names) files.Add((name, File.ReadAllText(GenesisFixtures.Path(name))));
        for (int seed = 1; seed <= 3; seed++) files.Add(($"random allocation {seed}", RandomGenesis(new Random(seed), accounts: 150 * seed)));

        IReadOnlyList<JsonElement> answers = EthereumjsOracle.Ask([.. files.Select(f => new JsonObject
        {
            ["op"] = "genesis",
            ["genesis"] = JsonNode.Parse(f.Json),
        })]);

        for (int i = 0; i < files.Count; i++)
        {
            BlockHeader ours = GenesisBuilder.Build(GenesisReader.Parse(System.Text.Encoding.UTF8.GetBytes(files[i].Json)));
            Assert.True(Hash256.Parse(answers[i].GetProperty("stateRoot").GetString()!) == ours.StateRoot, $"{files[i].Name}: state root {answers[i]} vs ours {ours.StateRoot}");
            Assert.True(Hash256.Parse(answers[i].GetProperty("hash").GetString()!) == ours.Hash, $"{files[i].Name}: hash {answers[i]} vs ours {ours.Hash}");
        }
    }

    // A Prague-at-genesis devnet file with accounts of random balance, nonce, code and non-zero storage.
    private static string RandomGenesis(Random random, int accounts)
    {
        var alloc = new JsonObject();
        for (int i = 0; i < accounts; i++)
        {
            var account = new JsonObject { ["balance"] = "0x" + Convert.ToHexStringLower(Bytes(random, random.Next(1, 32))).TrimStart('0').PadLeft(1, '0') };
            if (random.Next(3) == 0) account["nonce"] = "0x" + random.Next(1, 1000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            if (random.Next(4) == 0) account["code"] = EthereumjsOracle.Hex(Bytes(random, random.Next(1, 200)));
            if (random.Next(4) == 0)
            {
                var storage = new JsonObject();
                for (int s = random.Next(1, 20); s > 0; s--)
                {
                    byte[] word = Bytes(random, random.Next(1, 33));
                    word[0] |= 1; // non-zero: geth drops zero words, @ethereumjs would store them
                    storage[EthereumjsOracle.Hex(Bytes(random, 32))] = EthereumjsOracle.Hex(word);
                }
                account["storage"] = storage;
            }
            alloc[EthereumjsOracle.Hex(Bytes(random, 20))] = account;
        }
        var genesis = new JsonObject
        {
            ["config"] = new JsonObject
            {
                ["chainId"] = 31337, ["homesteadBlock"] = 0, ["eip150Block"] = 0, ["eip155Block"] = 0, ["eip158Block"] = 0,
                ["byzantiumBlock"] = 0, ["constantinopleBlock"] = 0, ["petersburgBlock"] = 0, ["istanbulBlock"] = 0,
                ["berlinBlock"] = 0, ["londonBlock"] = 0, ["shanghaiTime"] = 0, ["cancunTime"] = 0, ["pragueTime"] = 0,
                ["terminalTotalDifficulty"] = 0,
            },
            ["nonce"] = "0x0", ["timestamp"] = "0x" + random.Next().ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            ["extraData"] = EthereumjsOracle.Hex(Bytes(random, random.Next(0, 33))),
            ["gasLimit"] = "0x1c9c380", ["difficulty"] = "0x0",
            ["alloc"] = alloc,
        };
        return genesis.ToJsonString();
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
