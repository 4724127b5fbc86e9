using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Tests.EngineApi;

/// <summary>An <see cref="ILogger"/> enabled at every level that keeps everything a log line could print: the formatted
/// message, every structured value and any exception's text.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        _lines.Enqueue($"scope: {state}");
        return null;
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _lines.Enqueue($"{logLevel} {eventId}: {formatter(state, exception)} | {string.Join(", ", values.Select(static pair => $"{pair.Key}={pair.Value}"))} | {exception}");
    }
}
