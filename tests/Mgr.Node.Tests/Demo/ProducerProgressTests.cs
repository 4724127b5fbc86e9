using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

public sealed class ProducerProgressTests
{
    [Fact]
    public void Takes_head_and_finalized_from_each_block_line()
    {
        var progress = new ProducerProgress();

        progress.OnStdoutLine("""{"number":17,"hash":"0x00","stateRoot":"0x00","safe":16,"finalized":15,"engines":[]}""");
        progress.OnStdoutLine("""{"number":18,"hash":"0x00","stateRoot":"0x00","safe":17,"finalized":16,"engines":[]}""");

        Assert.Equal(18UL, progress.Head);
        Assert.Equal(16UL, progress.Finalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("info: devnet block 3 produced")]
    [InlineData("{broken")]
    [InlineData("""{"number":-4}""")]
    public void Ignores_lines_that_are_not_block_documents(string line)
    {
        var progress = new ProducerProgress();

        progress.OnStdoutLine(line);

        Assert.Null(progress.Head);
        Assert.Null(progress.Finalized);
    }
}
