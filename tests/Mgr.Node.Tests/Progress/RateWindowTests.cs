using Mgr.Node.Progress;

namespace Mgr.Node.Tests.Progress;

public sealed class RateWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Has_no_rate_before_two_samples()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 100);

        Assert.Null(window.PerSecond);
        Assert.Null(window.EstimateRemaining(50));
    }

    [Fact]
    public void Divides_the_change_by_the_elapsed_time()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 100);
        window.Add(T0.AddSeconds(2), 300);
        window.Add(T0.AddSeconds(4), 500);

        Assert.Equal(100, window.PerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), window.EstimateRemaining(500));
    }

    [Fact]
    public void Forgets_samples_older_than_the_window()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 0);
        window.Add(T0.AddSeconds(1), 1000);    // a burst
        window.Add(T0.AddSeconds(20), 1010);
        window.Add(T0.AddSeconds(30), 1020);

        Assert.Equal(1, window.PerSecond);
    }

    [Fact]
    public void Starts_over_when_the_amount_drops()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 500);
        window.Add(T0.AddSeconds(1), 600);
        window.Add(T0.AddSeconds(2), 10);
        window.Add(T0.AddSeconds(3), 30);

        Assert.Equal(20, window.PerSecond);
    }

    [Fact]
    public void Estimates_nothing_when_stalled_and_zero_when_done()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 5);
        window.Add(T0.AddSeconds(1), 5);

        Assert.Equal(0, window.PerSecond);
        Assert.Null(window.EstimateRemaining(10));
        Assert.Equal(TimeSpan.Zero, window.EstimateRemaining(0));
    }

    [Fact]
    public void Ignores_a_sample_older_than_the_newest()
    {
        var window = new RateWindow(TimeSpan.FromSeconds(10));

        window.Add(T0, 0);
        window.Add(T0.AddSeconds(2), 20);
        window.Add(T0.AddSeconds(1), 1000);

        Assert.Equal(10, window.PerSecond);
    }

    [Fact]
    public void Keeps_a_bounded_number_of_samples()
    {
        var window = new RateWindow(TimeSpan.FromDays(1));

        for (int i = 0; i < 10 * RateWindow.MaxSamples; i++) window.Add(T0.AddSeconds(i), i < 100 ? 0 : 3.0 * i);

        Assert.Equal(3, window.PerSecond!.Value, 9);
    }
}
