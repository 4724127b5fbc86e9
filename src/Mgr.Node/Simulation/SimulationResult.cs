namespace Mgr.Node.Simulation;

/// <summary>The outcome of one simulation run: the settings, the bound, each node's outcome and coverage over time.
/// Byte figures are wire bytes (scaled like the state); times are virtual seconds.</summary>
public sealed record SimulationResult(SimulationSettings Settings, SimulationState State, double Scale, double LowerBoundSeconds,
                                      double ClientServerBoundSeconds, bool Completed, double EndSeconds, IReadOnlyList<NodeOutcome> Nodes,
                                      IReadOnlyList<CoverageSample> Coverage, long EventsProcessed,
                                      IReadOnlyDictionary<string, long> MessagesSent)
{
    /// <summary>Leechers' outcomes.</summary>
    public IEnumerable<NodeOutcome> Leechers => Nodes.Where(static node => !node.IsSeeder);

    /// <summary>Completion time of each leecher that completed, ascending.</summary>
    public double[] CompletionTimes => [.. Leechers.Where(static node => node.CompletionSeconds is not null).Select(static node => node.CompletionSeconds!.Value).Order()];

    /// <summary>Median leecher completion (all leechers; a leecher that never completed counts as infinite).</summary>
    public double MedianCompletionSeconds => Percentile(0.5);

    /// <summary>Slowest leecher completion (infinite if any leecher did not complete).</summary>
    public double MaxCompletionSeconds => Percentile(1);

    /// <summary>Every byte the seeders sent.</summary>
    public long SeederEgressBytes => Nodes.Where(static node => node.IsSeeder).Sum(static node => node.WireBytesSent);

    /// <summary>Chunk bytes leechers received that they already held.</summary>
    public long DuplicateBytes => Leechers.Sum(static node => node.DuplicateBytes);

    /// <summary>Chunk bytes leechers received in total.</summary>
    public long ChunkBytesDelivered => Leechers.Sum(static node => node.ChunkBytesDownloaded);

    /// <summary>Share of delivered chunk bytes that were duplicates.</summary>
    public double DuplicateRatio => ChunkBytesDelivered == 0 ? 0 : (double)DuplicateBytes / ChunkBytesDelivered;

    /// <summary>Share of all chunk bytes uploaded that came from seeders.</summary>
    public double SeederUploadShare
    {
        get
        {
            long total = Nodes.Sum(static node => node.ChunkBytesUploaded);
            return total == 0 ? 0 : (double)Nodes.Where(static node => node.IsSeeder).Sum(static node => node.ChunkBytesUploaded) / total;
        }
    }

    private double Percentile(double fraction)
    {
        double[] times = [.. Leechers.Select(static node => node.CompletionSeconds ?? double.PositiveInfinity).Order()];
        return times[(int)Math.Ceiling(fraction * times.Length) - 1 < 0 ? 0 : (int)Math.Ceiling(fraction * times.Length) - 1];
    }
}
