using System.Diagnostics;

namespace Mgr.Node.Swarm;

/// <summary>The process's monotonic clock (<see cref="Stopwatch"/>), for engines running over real connections.</summary>
public sealed class SystemClock : IClock
{
    private readonly long _origin = Stopwatch.GetTimestamp();

    public TimeSpan Now => Stopwatch.GetElapsedTime(_origin);
}
