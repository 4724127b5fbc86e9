using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mgr.Protocol.Tests.TestSupport;

/// <summary>An <see cref="ILogger"/> that keeps every entry with its structured values, so tests can assert the
/// typed reason a connection was closed or refused with.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new Entry(eventId.Id, formatter(state, exception), values.ToDictionary(pair => pair.Key, pair => pair.Value), exception));
    }

    /// <summary>Waits (bounded) for an entry with <paramref name="eventId"/> and returns it.</summary>
    public async Task<Entry> WaitForAsync(int eventId, Func<Entry, bool>? match = null, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            Entry? found = _entries.FirstOrDefault(entry => entry.EventId == eventId && (match is null || match(entry)));
            if (found is not null) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"No log entry {eventId} within {timeoutMs} ms. Seen: {string.Join(" | ", _entries.Select(e => e.Message))}");
    }

    public sealed record Entry(int EventId, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception);
}
