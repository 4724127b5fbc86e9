using Mgr.Node.Logging;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Tests.Logging;

public sealed class NodeLoggingTests
{
    [Theory]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("Debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("information", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("none", LogLevel.None)]
    public void Parses_level_names(string text, LogLevel expected)
    {
        Assert.True(NodeLogging.TryParseLevel(text, out LogLevel level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("2")]
    public void Rejects_unknown_level_names(string? text)
    {
        Assert.False(NodeLogging.TryParseLevel(text, out _));
    }

    [Fact]
    public void Redacts_credentials_and_tokens_from_urls()
    {
        string shown = NodeLogging.Redact(new Uri("https://user:secret@collector.example:4318/v1/metrics?token=abc#frag"));

        Assert.Equal("https://collector.example:4318/v1/metrics", shown);
    }

    [Fact]
    public void Creates_a_factory_that_honours_the_minimum_level()
    {
        using ILoggerFactory factory = NodeLogging.Create(LogLevel.Warning, LogFormat.Json);
        ILogger logger = factory.CreateLogger("test");

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }
}
