namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>When to kill one run of the leecher: once its status reaches <see cref="Phase"/> (for the ride: with at least
/// <see cref="MinCoverage"/> of the accounts held and more than it resumed with), wait <see cref="Delay"/> more, then SIGKILL.
/// A run whose status jumps past the phase between two polls is killed at the later phase; the report names the phase
/// the last status before the kill showed, not the one aimed at.</summary>
internal sealed record KillTarget(KillPhase Phase, double MinCoverage, TimeSpan Delay)
{
    /// <summary>True when <paramref name="status"/> has reached this target in a run that took up its epoch with
    /// <paramref name="resumedCoverage"/> of the accounts.</summary>
    public bool IsReachedBy(SoakStatus status, double resumedCoverage)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Phase > Phase) return true;
        if (status.Phase < Phase) return false;
        return Phase != KillPhase.Ride || (status.Coverage >= MinCoverage && status.Coverage > resumedCoverage);
    }
}
