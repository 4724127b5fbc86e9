using System.Globalization;
using System.Text;
using Mgr.Node.Progress;
using Spectre.Console;

namespace Mgr.Node.Demo;

/// <summary>The demo's live progress: a Spectre bar per node (account keyspace held at the current root) when the
/// console is interactive, else one concise line every few seconds.</summary>
/// <remarks>Reads the runner's nodes without locking: values are at most one poll old.</remarks>
public static class DemoProgress
{
    private static readonly TimeSpan BarInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    /// <summary>Draws bars on <paramref name="console"/> until <paramref name="cancellation"/> is cancelled.</summary>
    public static async Task RunBarsAsync(IAnsiConsole console, DemoRunner runner, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(runner);
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                ProgressTask chain = context.AddTask("producer", maxValue: 1);
                chain.IsIndeterminate = true;
                List<ProgressTask> bars = [.. runner.Nodes.Select(n => context.AddTask(n.Name, maxValue: 1))];
                using var timer = new PeriodicTimer(BarInterval);
                do
                {
                    chain.Description = Markup.Escape(ChainText(runner.Producer));
                    for (int i = 0; i < bars.Count; i++)
                    {
                        DemoNode node = runner.Nodes[i];
                        bars[i].Value = node.Status?.Coverage ?? 0;
                        bars[i].Description = Markup.Escape(NodeText(node));
                    }
                    context.Refresh();
                }
                while (await Tick(timer, cancellation).ConfigureAwait(false));
            }).ConfigureAwait(false);
    }

    /// <summary>Writes <see cref="Line"/> to <paramref name="output"/> every few seconds until cancelled.</summary>
    public static async Task RunLinesAsync(TextWriter output, DemoRunner runner, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(runner);
        using var timer = new PeriodicTimer(LineInterval);
        while (await Tick(timer, cancellation).ConfigureAwait(false))
        {
            await output.WriteLineAsync(Line(runner)).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>"progress producer #34 (finalized 32) | seeder 1.2 MiB out | leecher-1 45% 812 KiB in | leecher-2 synced".</summary>
    public static string Line(DemoRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var line = new StringBuilder("progress ").Append(ChainText(runner.Producer));
        foreach (DemoNode node in runner.Nodes) line.Append(" | ").Append(NodeText(node));
        return line.ToString();
    }

    private static string ChainText(ProducerProgress producer) => producer.Head is { } head
        ? string.Create(CultureInfo.InvariantCulture, $"producer #{head} (finalized {producer.Finalized})")
        : "producer starting";

    private static string NodeText(DemoNode node)
    {
        if (node.Status is not { } status) return $"{node.Name} starting";
        if (node.Role == "seeder")
            return string.Create(CultureInfo.InvariantCulture, $"{node.Name} block {status.EpochBlock?.ToString(CultureInfo.InvariantCulture) ?? "-"}, {status.PeerCount} peers, {Quantity.Bytes(status.BytesOut)} out");
        string state = status.Synced ? "synced" : string.Create(CultureInfo.InvariantCulture, $"{status.Coverage * 100:0}%");
        return $"{node.Name} {state}, {Quantity.Bytes(status.BytesIn)} in, {Quantity.Bytes(status.BytesOut)} out";
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellation)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
