using Mgr.Node.Headers;
using Mgr.Node.Storage;
using Mgr.Trie.Headers;

namespace Mgr.Node.Tests.Headers;

public sealed class PreverifiedHashesTests
{
    private static readonly BlockHeader[] Chain = HeaderChainGenerator.Generate(1_000, seed: 71);

    [Fact]
    public void Regenerates_from_a_synced_store_and_round_trips_through_the_file_format()
    {
        using var store = new InMemoryKeyValueStore();
        using (IWriteBatch batch = store.BeginBatch())
        {
            foreach (BlockHeader header in Chain) HeaderStore.WriteCanonical(batch, header.Number, header.Hash);
            batch.Commit();
        }
        using var text = new StringWriter();

        PreverifiedHashes.Generate(store, 999).Write(text, "devnet seed 71");
        PreverifiedHashes parsed = PreverifiedHashes.Parse(text.ToString());

        Assert.Equal([0UL, 192, 384, 576, 768, 960], parsed.Entries.Keys);
        Assert.Equal(Chain[960].Hash, parsed.Entries[960]);
    }

    [Theory]
    [InlineData("100 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", "multiple of 192")]
    [InlineData("384 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\n192 0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", "line 2")]
    [InlineData("0 0x12", "line 1")]
    public void Names_the_bad_line(string text, string expected)
    {
        var error = Assert.Throws<HeaderSyncException>(() => PreverifiedHashes.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
