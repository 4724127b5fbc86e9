using System.Text.Json;
using Mgr.Node.Cli;
using Mgr.Trie.Primitives;
using Mgr.Trie.Proofs;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Node.Tests.Cli;

public class TrieCommandTests
{
    private const string Dogs = """[["0x646f","0x76657262"],["0x646f67","0x7075707079"],["0x646f6765","0x636f696e"],["0x686f727365","0x7374616c6c696f6e"]]""";

    [Fact]
    public void Root_of_the_dogs_set_is_the_known_trie_test_root()
    {
        using TempFile file = InProcessMgr.WriteTemp(Dogs);

        CliRun run = InProcessMgr.Run("trie", "root", file.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\"0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84\"\n", run.Stdout);
    }

    [Fact]
    public void Secure_root_of_the_dogs_set_is_the_known_secure_trie_test_root()
    {
        using TempFile file = InProcessMgr.WriteTemp(Dogs);

        CliRun run = InProcessMgr.Run("trie", "root", file.Path, "--secure");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\"0x29b235a58c3c25ab83010c327d5932bcf05324b7d6b1185e650798034783ca9d\"\n", run.Stdout);
    }

    [Fact]
    public void Root_of_no_pairs_is_the_empty_trie_root()
    {
        using TempFile file = InProcessMgr.WriteTemp("[]");

        CliRun run = InProcessMgr.Run("trie", "root", file.Path);

        Assert.Equal($"\"{Hash256.EmptyTrieRoot}\"\n", run.Stdout);
    }

    [Theory]
    [InlineData("""[["0x01","0x02"],["0x01","0x03"]]""", "twice")]
    [InlineData("""[["0x01","0x"]]""", "empty")]
    [InlineData("""[["0x0g","0x02"]]""", "kv.json[0][0]")]
    [InlineData("""[["0x01"]]""", "kv.json[0]")]
    [InlineData("""{"0x01":"0x02"}""", "array")]
    [InlineData("""[["0x01","0x02"]""", "JSON")]
    public void Root_rejects_malformed_input_with_exit_2_and_a_one_line_reason(string content, string mention)
    {
        using TempFile file = InProcessMgr.WriteTemp(content);

        CliRun run = InProcessMgr.Run("trie", "root", file.Path);

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine, run.Stderr);
        Assert.Contains(mention, run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void Root_of_a_missing_file_exits_2()
    {
        CliRun run = InProcessMgr.Run("trie", "root", "/nonexistent/kv.json");

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.Contains("no such file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_range_accepts_an_honest_proof_and_reports_more_leaves()
    {
        (Hash256 root, MemoryNodeStore store) = BuildTrie(100);
        RangeProof proof = RangeProver.Create(store, root, Key(10), Hash256.MaxValue, maxLeaves: 20);
        using TempFile file = InProcessMgr.WriteTemp(CaseJson(root, Key(10), proof.Leaves, proof.Proof));

        CliRun run = InProcessMgr.Run("trie", "verify-range", file.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\"valid\":true,\"hasMore\":true}\n", run.Stdout);
    }

    [Fact]
    public void Verify_range_rejects_a_modified_value_but_still_exits_0()
    {
        (Hash256 root, MemoryNodeStore store) = BuildTrie(100);
        RangeProof proof = RangeProver.Create(store, root, Key(10), Hash256.MaxValue, maxLeaves: 20);
        var leaves = proof.Leaves.ToList();
        leaves[5] = leaves[5] with { Value = new byte[] { 0xde, 0xad } };
        using TempFile file = InProcessMgr.WriteTemp(CaseJson(root, Key(10), leaves, proof.Proof));

        CliRun run = InProcessMgr.Run("trie", "verify-range", file.Path);

        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.False(json.RootElement.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public void Verify_range_without_proof_accepts_the_whole_trie_and_a_null_origin()
    {
        (Hash256 root, MemoryNodeStore store) = BuildTrie(30);
        RangeProof all = RangeProver.Create(store, root, Hash256.Zero, Hash256.MaxValue, maxLeaves: 1000);
        string json = CaseJson(root, null, all.Leaves, null);
        using TempFile file = InProcessMgr.WriteTemp(json);

        CliRun run = InProcessMgr.Run("trie", "verify-range", file.Path);

        Assert.Equal("{\"valid\":true,\"hasMore\":false}\n", run.Stdout);
    }

    [Theory]
    [InlineData("""{"root":"0x00","origin":null,"keys":[],"values":[],"proof":null}""", "root")]
    [InlineData("""{"root":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","origin":null,"keys":[],"values":[],"proof":[]}""", "origin")]
    [InlineData("""{"root":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","keys":["0x01"],"values":["0x01"],"proof":null}""", "keys[0]")]
    [InlineData("""{"root":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","keys":[],"values":["0x01"],"proof":null}""", "differ")]
    [InlineData("""{"root":"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421","keys":[],"values":[]}""", "proof")]
    [InlineData("""[]""", "object")]
    public void Verify_range_rejects_a_malformed_case_with_exit_2(string content, string mention)
    {
        using TempFile file = InProcessMgr.WriteTemp(content);

        CliRun run = InProcessMgr.Run("trie", "verify-range", file.Path);

        Assert.Equal(CliInput.InvalidInputExitCode, run.ExitCode);
        Assert.True(run.StderrIsOneLine, run.Stderr);
        Assert.Contains(mention, run.Stderr, StringComparison.Ordinal);
    }

    private static Hash256 Key(int i) => new(0, 0, 0, (ulong)i * 0x0101_0101_0101UL);

    private static (Hash256 Root, MemoryNodeStore Store) BuildTrie(int count)
    {
        var store = new MemoryNodeStore();
        var trie = new PatriciaTrie(store);
        for (int i = 0; i < count; i++) trie.Set(Key(i).ToArray(), [.. BitConverter.GetBytes(i), 0x55]);
        return (trie.Commit(), store);
    }

    private static string CaseJson(Hash256 root, Hash256? origin, IEnumerable<TrieLeaf> leaves, IEnumerable<byte[]>? proof)
    {
        var model = new Dictionary<string, object?>
        {
            ["root"] = root.ToString(),
            ["origin"] = origin?.ToString(),
            ["keys"] = leaves.Select(leaf => leaf.Key.ToString()).ToArray(),
            ["values"] = leaves.Select(leaf => "0x" + Convert.ToHexStringLower(leaf.Value.Span)).ToArray(),
            ["proof"] = proof?.Select(node => "0x" + Convert.ToHexStringLower(node)).ToArray(),
        };
        return JsonSerializer.Serialize(model);
    }
}
