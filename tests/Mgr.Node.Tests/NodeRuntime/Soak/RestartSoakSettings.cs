using Mgr.Node.Devnet;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>How a crash-restart soak runs: the devnet, how many kills, the RNG seed of the kill plan, and how long one
/// run may take to reach its kill target (or, for the last run, to sync).</summary>
internal sealed record RestartSoakSettings
{
    public required DevnetParameters Devnet { get; init; }

    /// <summary>SIGKILLs before the last run, which must sync.</summary>
    public required int Kills { get; init; }

    /// <summary>Seed of the kill plan (phases, coverages, delays).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Longest a run may take to reach its target.</summary>
    public TimeSpan RunLimit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where the leechers' logs and stores are copied after the run (null: not kept).</summary>
    public string? KeepDirectory { get; init; }
}
