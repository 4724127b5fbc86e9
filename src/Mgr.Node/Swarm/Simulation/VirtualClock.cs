namespace Mgr.Node.Swarm.Simulation;

/// <summary>A clock that moves only when told to: the simulation's time.</summary>
public sealed class VirtualClock : IClock
{
    private TimeSpan _now;

    public TimeSpan Now => _now;

    /// <summary>Moves time to <paramref name="time"/>; moving backwards is an error.</summary>
    public void AdvanceTo(TimeSpan time)
    {
        if (time < _now) throw new ArgumentOutOfRangeException(nameof(time), time, $"Virtual time cannot go back from {_now}.");
        _now = time;
    }
}
