using System.Text.Json;
using System.Text.Json.Nodes;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;
using Mgr.Trie.Tests.Headers;

namespace Mgr.Trie.Tests.Interop;

public class EthereumjsHeaderTests
{
    [Fact]
    public void Random_headers_of_every_fork_encoded_by_us_hash_the_same_in_ethereumjs()
    {
        var headers = new List<BlockHeader>();
        var random = new Random(2024);
        foreach (HeaderFork fork in RandomHeaders.AllForks)
        {
            for (int i = 0; i < 40; i++) headers.Add(RandomHeaders.Create(random, fork));
        }

        IReadOnlyList<JsonElement> answers = EthereumjsOracle.Ask([.. headers.Select(h => new JsonObject
        {
            ["op"] = "header",
            ["rlp"] = EthereumjsOracle.Hex(h.Encode()),
            ["hardfork"] = Hardfork(h.Fork),
        })]);

        for (int i = 0; i < headers.Count; i++)
        {
            Assert.Equal(EthereumjsOracle.Hex(headers[i].Encode()), answers[i].GetProperty("rlp").GetString());
            Assert.Equal(headers[i].Hash, Hash256.Parse(answers[i].GetProperty("hash").GetString()!));
        }
    }

    // The @ethereumjs/common hardfork whose header field set matches.
    private static string Hardfork(HeaderFork fork) => fork switch
    {
        HeaderFork.PreLondon => "berlin",
        HeaderFork.London => "london",
        HeaderFork.Shanghai => "shanghai",
        HeaderFork.Cancun => "cancun",
        _ => "prague",
    };
}
