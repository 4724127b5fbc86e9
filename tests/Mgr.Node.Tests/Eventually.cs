namespace Mgr.Node.Tests;

/// <summary>Waits for a condition that real sockets, processes or timers make true some time later.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="check"/> every 50 ms until it holds (true) or <paramref name="limit"/> passes (false).</summary>
    public static async Task<bool> HoldsAsync(Func<bool> check, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(check);
        DateTime deadline = DateTime.UtcNow + limit;
        while (!check())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }
}
