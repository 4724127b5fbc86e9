using Mgr.Node.Dashboard;

namespace Mgr.Node.Progress;

/// <summary>Turns a sequence of <see cref="NodeStatusSnapshot"/>s into <see cref="NodeRates"/>: one
/// <see cref="RateWindow"/> per cumulative amount, keyed by stage name.</summary>
/// <remarks>Thread-safe: the dashboard and the progress display may share one.</remarks>
public sealed class RateTracker
{
    /// <summary>The default averaging window: long enough to smooth bursts of chunks, short enough to follow changes.</summary>
    public static TimeSpan DefaultWindow { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Stage windows kept at most (stage names come from the node; a bound keeps a bug from growing this).</summary>
    private const int MaxStages = 32;

    private readonly Lock _lock = new();
    private readonly TimeSpan _window;
    private readonly RateWindow _bytesIn;
    private readonly RateWindow _bytesOut;
    private readonly RateWindow _chunks;
    private readonly Dictionary<string, RateWindow> _stages = new(StringComparer.Ordinal);

    /// <summary>A tracker averaging over <paramref name="window"/> (default <see cref="DefaultWindow"/>).</summary>
    public RateTracker(TimeSpan? window = null)
    {
        _window = window ?? DefaultWindow;
        _bytesIn = new RateWindow(_window);
        _bytesOut = new RateWindow(_window);
        _chunks = new RateWindow(_window);
    }

    /// <summary>Adds <paramref name="snapshot"/> and returns the rates including it.</summary>
    public NodeRates Observe(NodeStatusSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            DateTimeOffset at = snapshot.TakenAt;
            _bytesIn.Add(at, snapshot.BytesIn);
            _bytesOut.Add(at, snapshot.BytesOut);
            _chunks.Add(at, snapshot.ChunksVerified);
            var stages = new List<StageRate>(snapshot.Stages.Count);
            foreach (StageProgress stage in snapshot.Stages)
            {
                RateWindow? window = WindowOf(stage.Name);
                window?.Add(at, stage.Done);
                TimeSpan? remaining = stage.Total is { } total ? window?.EstimateRemaining(total - stage.Done) : null;
                stages.Add(new StageRate(stage.Name, stage.Done, stage.Total, stage.Unit, window?.PerSecond, remaining));
            }
            return new NodeRates(_bytesIn.PerSecond, _bytesOut.PerSecond, _chunks.PerSecond, stages);
        }
    }

    private RateWindow? WindowOf(string name)
    {
        if (_stages.TryGetValue(name, out RateWindow? window)) return window;
        if (_stages.Count >= MaxStages) return null;
        window = new RateWindow(_window);
        _stages.Add(name, window);
        return window;
    }
}
