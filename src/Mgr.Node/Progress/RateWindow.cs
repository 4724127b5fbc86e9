namespace Mgr.Node.Progress;

/// <summary>The recent rate of one cumulative amount (bytes, chunks, blocks): samples over a sliding time window,
/// rate = change of the amount over the change of time between the oldest and newest sample in the window.
/// Bounded: keeps at most <see cref="MaxSamples"/> samples.</summary>
/// <remarks>Not thread-safe; one owner feeds and reads it.</remarks>
public sealed class RateWindow
{
    /// <summary>Samples kept at most, whatever the window.</summary>
    public const int MaxSamples = 64;

    private readonly (DateTimeOffset At, double Value)[] _samples = new (DateTimeOffset, double)[MaxSamples];
    private readonly TimeSpan _window;
    private int _first;
    private int _count;

    /// <summary>A window spanning <paramref name="window"/> of samples.</summary>
    public RateWindow(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _window = window;
    }

    /// <summary>Records the amount at a time. A sample older than the newest is ignored; a drop of the amount (a
    /// restart, a new epoch) starts the window over.</summary>
    public void Add(DateTimeOffset at, double value)
    {
        if (_count > 0)
        {
            (DateTimeOffset lastAt, double lastValue) = _samples[(_first + _count - 1) % MaxSamples];
            if (at < lastAt) return;
            if (value < lastValue) _count = 0;
        }
        if (_count == MaxSamples)
        {
            _first = (_first + 1) % MaxSamples;
            _count--;
        }
        _samples[(_first + _count) % MaxSamples] = (at, value);
        _count++;
        // Drop samples older than the window, keeping at least two so a slow feed still has a rate.
        while (_count > 2 && at - _samples[(_first + 1) % MaxSamples].At >= _window)
        {
            _first = (_first + 1) % MaxSamples;
            _count--;
        }
    }

    /// <summary>Units per second over the window, or null with fewer than two samples at different times.</summary>
    public double? PerSecond
    {
        get
        {
            if (_count < 2) return null;
            (DateTimeOffset firstAt, double firstValue) = _samples[_first];
            (DateTimeOffset lastAt, double lastValue) = _samples[(_first + _count - 1) % MaxSamples];
            double seconds = (lastAt - firstAt).TotalSeconds;
            return seconds > 0 ? (lastValue - firstValue) / seconds : null;
        }
    }

    /// <summary>Time to cover <paramref name="remaining"/> units at the current rate: zero when nothing remains,
    /// null when the rate is unknown or not positive.</summary>
    public TimeSpan? EstimateRemaining(double remaining)
    {
        if (remaining <= 0) return TimeSpan.Zero;
        if (PerSecond is not > 0) return null;
        double seconds = remaining / PerSecond.Value;
        return seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
