using System.Globalization;
using System.Text;
using Mgr.Node.Dashboard;

namespace Mgr.Node.Progress;

/// <summary>The one-line progress summary logged when stdout is not a terminal, e.g.
/// <c>leecher epoch 12 peers 4 | headers 1200/5000 blocks 24.0% 310/s eta 13s | state 512/1024 chunks 50.0% 40.2/s eta 13s | in 12.3 MiB 1.20 MiB/s | out 2 MiB 0 B/s</c>,
/// ending in <c>| synced</c> once the state verified.</summary>
public static class ProgressLine
{
    /// <summary>Formats <paramref name="snapshot"/> with <paramref name="rates"/> (from the same snapshot).</summary>
    public static string Format(NodeStatusSnapshot snapshot, NodeRates rates)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(rates);
        var c = CultureInfo.InvariantCulture;
        var line = new StringBuilder(160);
        line.Append(RoleName(snapshot));
        line.Append(snapshot.Epoch is { } epoch ? string.Create(c, $" epoch {epoch}") : " epoch -");
        line.Append(c, $" peers {snapshot.Peers.Count}");
        foreach (StageRate stage in rates.Stages) line.Append(" | ").Append(Stage(stage));
        line.Append(" | in ").Append(Quantity.Bytes(snapshot.BytesIn)).Append(' ').Append(Quantity.ByteRate(rates.BytesInPerSecond));
        line.Append(" | out ").Append(Quantity.Bytes(snapshot.BytesOut)).Append(' ').Append(Quantity.ByteRate(rates.BytesOutPerSecond));
        if (snapshot.Synced) line.Append(" | synced");
        return line.ToString();
    }

    /// <summary>"state 512/1024 chunks 50.0% 40.2/s eta 13s"; without a total: "healing 300 nodes 12.0/s".</summary>
    public static string Stage(StageRate stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var c = CultureInfo.InvariantCulture;
        if (stage.Total is not { } total)
            return $"{stage.Name} {Quantity.Number(stage.Done)} {stage.Unit} {Quantity.Rate(stage.PerSecond)}";
        double percent = total > 0 ? Math.Clamp(100 * stage.Done / total, 0, 100) : 100;
        string text = string.Create(c, $"{stage.Name} {Quantity.Number(stage.Done)}/{Quantity.Number(total)} {stage.Unit} {percent:0.0}% {Quantity.Rate(stage.PerSecond)}");
        return stage.Done >= total ? text + " done" : text + " eta " + Quantity.Duration(stage.Remaining);
    }

    private static string RoleName(NodeStatusSnapshot snapshot) => snapshot.Role.ToString().ToLowerInvariant();
}
