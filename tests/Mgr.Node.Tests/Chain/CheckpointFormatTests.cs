using System.Text;
using Mgr.Node.Chain;
using Mgr.Node.Tests.Headers;
using Mgr.Trie.Headers;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.Chain;

public sealed class CheckpointFormatTests
{
    private static readonly BlockHeader Header = HeaderChainGenerator.Generate(43, seed: 2)[42];

    [Fact]
    public void Parses_number_colon_hash()
    {
        WeakSubjectivityCheckpoint checkpoint = CheckpointFormat.ParseArgument($"42:{Header.Hash}");

        Assert.Equal(42UL, checkpoint.Number);
        Assert.Equal(Header.Hash, checkpoint.Hash);
    }

    [Theory]
    [InlineData("0xabc", "number>:<hash")]
    [InlineData("-1:0x00", "not a decimal number")]
    [InlineData("12:0x1234", "64 hex digits")]
    [InlineData("12:1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", "64 hex digits")]
    public void Explains_what_is_wrong_with_a_bad_argument(string text, string expected)
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.ParseArgument(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Round_trips_the_json_document_with_its_header()
    {
        WeakSubjectivityCheckpoint checkpoint = HeaderChainGenerator.Checkpoint(Header);

        WeakSubjectivityCheckpoint parsed = CheckpointFormat.ParseJson(CheckpointFormat.ToJson(checkpoint));

        Assert.Equal(checkpoint.Number, parsed.Number);
        Assert.Equal(checkpoint.Hash, parsed.Hash);
        Assert.True(parsed.HeaderRlp.Span.SequenceEqual(Header.Encode()));
    }

    [Fact]
    public void Refuses_a_document_whose_header_does_not_hash_to_its_hash()
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"number":"0x2a","hash":"{{Hash256.MaxValue}}","header":"0x{{Convert.ToHexStringLower(Header.Encode())}}"}""");

        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.ParseJson(json));

        Assert.Contains("does not hash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_document_whose_header_has_another_number()
    {
        byte[] json = Encoding.UTF8.GetBytes($$"""{"number":"0x2b","hash":"{{Header.Hash}}","header":"0x{{Convert.ToHexStringLower(Header.Encode())}}"}""");

        var error = Assert.Throws<CheckpointException>(() => CheckpointFormat.ParseJson(json));

        Assert.Contains("is block 42, not 43", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_a_text_checkpoint_file_and_names_a_missing_one()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"  42:{Header.Hash}\n");

            Assert.Equal(42UL, CheckpointFormat.LoadFile(path).Number);
            var missing = Assert.Throws<CheckpointException>(() => CheckpointFormat.LoadFile(path + ".missing"));
            Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Refuses_more_than_one_checkpoint_source()
    {
        var error = await Assert.ThrowsAsync<CheckpointException>(() =>
            CheckpointSource.ResolveAsync($"1:{Header.Hash}", null, "http://127.0.0.1:1/", CancellationToken.None));

        Assert.Contains("at most one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_an_unreachable_checkpoint_url()
    {
        var error = await Assert.ThrowsAsync<CheckpointException>(() =>
            CheckpointSource.ResolveAsync(null, null, "http://127.0.0.1:1/mgr/v1/checkpoint", CancellationToken.None));

        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }
}
