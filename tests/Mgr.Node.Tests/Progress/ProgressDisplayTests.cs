using Mgr.Node.Dashboard;
using Mgr.Node.Progress;
using Mgr.Node.Tests.Dashboard;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Tests.Progress;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task Logs_one_progress_line_per_interval_until_cancelled()
    {
        var source = new FakeNodeStatusSource();
        var logger = new ListLogger();
        using var cancel = new CancellationTokenSource();

        Task run = ProgressDisplay.RunLinesAsync(source, logger, TimeSpan.FromMilliseconds(20), cancel.Token);
        while (logger.Lines.Count < 3) await Task.Delay(10);
        await cancel.CancelAsync();
        await run;

        Assert.All(logger.Lines, line => Assert.StartsWith("progress leecher epoch 7 peers 2 | headers 224/224 blocks 100.0%", line, StringComparison.Ordinal));
        Assert.Contains("| state 128/1024 chunks 12.5%", logger.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draws_bars_on_a_non_terminal_console_without_failing()
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await ProgressDisplay.RunBarsAsync(console, new FakeNodeStatusSource(), TimeSpan.FromMilliseconds(50), cancel.Token);

        string drawn = writer.ToString();
        Assert.Contains("state 128/1024 chunks 12.5%", drawn, StringComparison.Ordinal);
        Assert.Contains("leecher · epoch 7 · 2 peers", drawn, StringComparison.Ordinal);
    }

    private sealed class ListLogger : ILogger
    {
        private readonly Lock _lock = new();
        private readonly List<string> _lines = [];

        public List<string> Lines
        {
            get { lock (_lock) return _lines.ToList(); }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lock) _lines.Add(formatter(state, exception));
        }
    }
}
