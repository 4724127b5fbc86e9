namespace Mgr.Node.Headers;

/// <summary>A robust estimate of the chain head from peers' claims: the median, so a minority of rogue peers
/// claiming absurd heads cannot move it. For progress and ETA only; trust comes from finalized blocks.</summary>
public static class PeerHeadEstimator
{
    /// <summary>The (lower) median of <paramref name="claims"/>, or null when there are none.</summary>
    public static ulong? Estimate(IEnumerable<ulong> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ulong[] sorted = [.. claims];
        if (sorted.Length == 0) return null;
        Array.Sort(sorted);
        return sorted[(sorted.Length - 1) / 2];
    }
}
