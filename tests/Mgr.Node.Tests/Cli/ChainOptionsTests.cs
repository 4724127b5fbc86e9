using System.CommandLine;
using Mgr.Node.Cli;

namespace Mgr.Node.Tests.Cli;

public sealed class ChainOptionsTests
{
    private static ChainSettings Parse(params string[] args)
    {
        var options = new ChainOptions();
        var command = new RootCommand("test");
        options.AddTo(command);
        return options.Read(command.Parse(args));
    }

    [Fact]
    public void Defaults_to_port_8551_and_64_mib()
    {
        ChainSettings settings = Parse();

        Assert.Equal(8551, settings.EnginePort);
        Assert.Equal(64L << 20, settings.HeadersMemoryLimitBytes);
        Assert.Null(settings.Checkpoint);
    }

    [Fact]
    public void Reads_every_option()
    {
        ChainSettings settings = Parse("--checkpoint", "5:0xab", "--engine-port", "0", "--jwt-secret", "/tmp/jwt.hex", "--headers-mem-limit", "1GiB",
            "--backfill", "--preverified", "/tmp/pv.txt");

        Assert.Equal(new ChainSettings("5:0xab", null, null, 0, "/tmp/jwt.hex", 1L << 30, true, "/tmp/pv.txt"), settings);
    }

    [Fact]
    public void Refuses_preverified_hashes_without_backfill()
    {
        Assert.Throws<CliInputException>(() => Parse("--preverified", "/tmp/pv.txt"));
    }

    [Theory]
    [InlineData("128MB", 128L << 20)]
    [InlineData("500000", 500_000L)]
    [InlineData(" 2 GiB ", 2L << 30)]
    public void Parses_sizes_with_units(string text, long bytes)
    {
        Assert.Equal(bytes, ChainOptions.ParseSize(text, "--headers-mem-limit"));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("12XB")]
    [InlineData("-5MiB")]
    [InlineData("1000")]
    [InlineData("99999999999GiB")]
    public void Refuses_bad_or_tiny_sizes(string text)
    {
        var error = Assert.Throws<CliInputException>(() => ChainOptions.ParseSize(text, "--headers-mem-limit"));

        Assert.Contains("--headers-mem-limit", error.Message, StringComparison.Ordinal);
    }
}
