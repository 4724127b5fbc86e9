namespace Mgr.Fuzz.Engine;

/// <summary>How long and from where one target is fuzzed. The run stops at whichever of <see cref="Iterations"/> and
/// <see cref="Duration"/> comes first; with only <see cref="Iterations"/> a run is fully reproducible from its seed.</summary>
internal sealed record FuzzOptions
{
    public int Seed { get; init; } = 1;

    public long Iterations { get; init; } = long.MaxValue;

    public TimeSpan Duration { get; init; } = TimeSpan.MaxValue;

    /// <summary>Folder holding corpus/&lt;target&gt;/ seed files; null uses only the target's built-in seeds.</summary>
    public string? CorpusDirectory { get; init; }

    /// <summary>Folder where findings (and, for long runs, inputs that reached a new verdict) are written; null keeps them in memory only.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Stop the target at its first finding (CI) rather than collecting every distinct one (long runs).</summary>
    public bool StopAtFirstFinding { get; init; }

    /// <summary>Crash keys (<c>target:key</c>) of open bugs already reported to their owners (see <see cref="KnownFindings"/>):
    /// counted but not reported, so they neither stop a run nor hide new findings.</summary>
    public IReadOnlySet<string> KnownFindingKeys { get; init; } = new HashSet<string>();

    /// <summary>Most mutants kept because they reached a new verdict.</summary>
    public int MaxLiveCorpus { get; init; } = 2048;
}
