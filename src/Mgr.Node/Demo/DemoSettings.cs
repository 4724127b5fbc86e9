using Mgr.Node.Devnet;

namespace Mgr.Node.Demo;

/// <summary>What <c>mgr demo</c> runs: the devnet's size and pace, how many leechers, where it works and how long it
/// waits. <see cref="Validate"/> turns out-of-range values into <see cref="ArgumentException"/>s.</summary>
public sealed record DemoSettings
{
    /// <summary>Most leechers one demo starts (each is a process with its own store on a 2-core machine).</summary>
    public const int MaxLeechers = 64;

    public long Accounts { get; init; } = 20_000;
    public long Contracts { get; init; } = 8;
    public int Leechers { get; init; } = 4;
    public double SecondsPerBlock { get; init; } = 2;
    public ulong FinalityLag { get; init; } = 2;

    /// <summary>MGR epoch length in blocks: small, so that the pivot moves at least once during a default run.</summary>
    public ulong EpochLength { get; init; } = 8;

    /// <summary>Blocks generated before the producer starts, so the first finalized epoch exists at once.</summary>
    public int InitialBlocks { get; init; } = 16;

    public ulong Seed { get; init; } = 7;

    /// <summary>Directory holding the devnets (one per parameter set, reused) and the run's node directories.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "mgr-demo");

    /// <summary>How long to wait for every leecher to report synced before failing.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Keep the run's node directories and logs after a successful run (they are always kept after a failure).</summary>
    public bool Keep { get; init; }

    /// <summary>The devnet these settings generate: the largest contract has a tenth of the accounts' count in slots.</summary>
    public DevnetParameters Devnet => new()
    {
        Accounts = Accounts, Contracts = Contracts, MaxSlots = Math.Max(1, Accounts / 10), Seed = Seed, EpochLength = EpochLength,
        SecondsPerBlock = 2, // the timestamps' pace only; the producer's real interval is SecondsPerBlock
    };

    /// <summary>The devnet's directory name: a key of every parameter that shapes the chain, so a run with the same
    /// parameters reuses it and any other run gets its own.</summary>
    public string DevnetKey => $"devnet-a{Accounts}-c{Contracts}-e{EpochLength}-s{Seed}";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Leechers is < 1 or > MaxLeechers) throw new ArgumentException($"--leechers must be in [1, {MaxLeechers}], not {Leechers}.");
        if (!(SecondsPerBlock is > 0 and <= 3600)) throw new ArgumentException($"--seconds-per-block must be in (0, 3600], not {SecondsPerBlock}.");
        if (FinalityLag > 1024) throw new ArgumentException($"--finality-lag must be at most 1024, not {FinalityLag}.");
        if (EpochLength is < 2 or > 1 << 20) throw new ArgumentException($"--epoch-length must be in [2, 2^20], not {EpochLength}.");
        if (InitialBlocks is < 0 or > 100_000) throw new ArgumentException($"the initial block count must be in [0, 100000], not {InitialBlocks}.");
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromHours(24)) throw new ArgumentException($"--timeout must be in (0 s, 24 h], not {Timeout}.");
        if (string.IsNullOrWhiteSpace(WorkDirectory)) throw new ArgumentException("--workdir must not be empty.");
        Devnet.Validate();
    }
}
