using System.Globalization;
using System.Text;
using Mgr.Trie.Primitives;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>What a crash-restart soak found: every run, the bytes the seeder sent the soaked leecher against one
/// uninterrupted sync in the same setup, and whether the leecher's store rebuilds the devnet's root.</summary>
internal sealed record RestartSoakReport
{
    public required RestartSoakSettings Settings { get; init; }
    public required IReadOnlyList<SoakRun> Runs { get; init; }

    /// <summary>Flat state of the synced block (accounts, slots, code: keys and values).</summary>
    public required long StateBytes { get; init; }

    public required ulong EpochBlock { get; init; }

    /// <summary>Whether the last run reported synced.</summary>
    public required bool FinalSynced { get; init; }

    /// <summary>The block whose state the leecher's store holds (its state-block marker, else the epoch block).</summary>
    public required ulong StoreBlock { get; init; }

    public required Hash256 ExpectedRoot { get; init; }

    /// <summary>Null when the store rebuilt <see cref="ExpectedRoot"/>; else what is wrong.</summary>
    public required string? RootProblem { get; init; }

    /// <summary>One uninterrupted sync of a fresh leecher from the same seeder afterwards.</summary>
    public required ReferenceSync Reference { get; init; }

    /// <summary>The seeder's VmHWM at the end of the soak (it ran throughout); null when it was gone.</summary>
    public long? SeederPeakResidentBytes { get; init; }

    public long SoakStateBytes => Runs.Sum(static run => run.SeederStateBytes);

    public long SoakStateDataBytes => Runs.Sum(static run => run.SeederStateDataBytes);

    /// <summary>State payload sent to the soaked leecher beyond one copy of the state (<see cref="ReferenceSync.UniqueStateBytes"/>).</summary>
    public long ReDownloadedBytes => SoakStateBytes - Reference.UniqueStateBytes;

    /// <summary><see cref="ReDownloadedBytes"/> over one copy of the state.</summary>
    public double ReDownloadedShare => (double)ReDownloadedBytes / Reference.UniqueStateBytes;

    public IReadOnlyDictionary<KillPhase, int> KillsByPhase =>
        Enum.GetValues<KillPhase>().ToDictionary(static phase => phase, phase => Runs.Count(run => run.Target is not null && run.Phase == phase));

    /// <summary>The soaked leecher's highest VmHWM over its runs.</summary>
    public long? PeakResidentBytes => Runs.Max(static run => run.PeakResidentBytes);

    /// <summary>A plain-text account of the soak, one line per run.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"restart soak: {Settings.Kills} kills, seed {Settings.Seed}, devnet {Settings.Devnet.Accounts} accounts / {Settings.Devnet.Contracts} contracts / " +
                           $"{Settings.Devnet.MaxSlots} max slots (seed {Settings.Devnet.Seed}), static chain: epoch block {EpochBlock}, state {StateBytes:N0} B");
        text.AppendLine("run  aimed at        killed in  coverage  resumed  seeder state B  seeder StateData B  reported StateData in  peak RSS MiB  max penalty  seconds");
        foreach (SoakRun run in Runs)
        {
            string aimed = run.Target is null ? "(last run)" : run.Target.Phase == KillPhase.Ride ? $"Ride ≥{run.Target.MinCoverage:P0}" : run.Target.Phase.ToString();
            text.AppendLine(c, $"{run.Number,3}  {aimed,-13}  {run.Phase,-9}  {run.Coverage,8:P1}  {(run.ResumedCoverage is { } r ? r.ToString("P1", c) : "-"),7}  " +
                               $"{run.SeederStateBytes,14:N0}  {run.SeederStateDataBytes,18:N0}  {run.ReportedStateDataIn,21:N0}  " +
                               $"{Mebibytes(run.PeakResidentBytes),12}  {run.MaxPeerPenalty,11:F0}  {run.Seconds,7:F1}");
        }
        text.AppendLine(c, $"kills per phase: {string.Join(", ", KillsByPhase.Select(static entry => $"{entry.Key} {entry.Value}"))}");
        text.AppendLine(c, $"seeder sent the soaked leecher {SoakStateBytes:N0} B of state payload ({SoakStateDataBytes:N0} B StateData) over {Runs.Count} runs");
        text.AppendLine(c, $"one uninterrupted sync: seeder sent {Reference.StateBytes:N0} B ({Reference.StateDataBytes:N0} B StateData) in {Reference.Seconds:F1} s, " +
                           $"{Reference.UniqueStateBytes:N0} B not held before (one copy of the state); peak RSS {Mebibytes(Reference.PeakResidentBytes)} MiB");
        text.AppendLine(c, $"re-downloaded: {ReDownloadedBytes:N0} B = {ReDownloadedShare:P2} of one copy, {(double)ReDownloadedBytes / StateBytes:P2} of the flat state");
        text.AppendLine(c, $"peak RSS (VmHWM): soaked leecher {Mebibytes(PeakResidentBytes)} MiB (highest of its runs), seeder {Mebibytes(SeederPeakResidentBytes)} MiB");
        text.AppendLine(c, $"final: synced {FinalSynced}; store holds block {StoreBlock}; root {(RootProblem is null ? "= " + ExpectedRoot : "WRONG: " + RootProblem)}");
        return text.ToString();
    }

    private static string Mebibytes(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) : "-";
}
