using Mgr.Node.Dashboard;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Mgr.Node.Progress;

/// <summary>Shows a node's progress until cancelled: Spectre.Console bars (one per stage, plus traffic) with rates and
/// ETA when stdout is an interactive terminal; otherwise one <see cref="ProgressLine"/> logged every
/// <see cref="LineInterval"/> (CI, pipes, redirected output — Spectre's live rendering is never used there).</summary>
public static class ProgressDisplay
{
    /// <summary>Time between two progress log lines when not interactive.</summary>
    public static TimeSpan LineInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between two redraws of the bars.</summary>
    public static TimeSpan BarInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>True when stdout is a terminal Spectre can redraw.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
        && AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>Runs until <paramref name="cancellation"/> is cancelled; returns normally then.</summary>
    public static Task RunAsync(INodeStatusSource source, ILogger logger, CancellationToken cancellation)
        => IsInteractive
            ? RunBarsAsync(AnsiConsole.Console, source, BarInterval, cancellation)
            : RunLinesAsync(source, logger, LineInterval, cancellation);

    /// <summary>Logs one progress line every <paramref name="interval"/>, the first one right away.</summary>
    public static async Task RunLinesAsync(INodeStatusSource source, ILogger logger, TimeSpan interval, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        var rates = new RateTracker();
        using var timer = new PeriodicTimer(interval);
        do
        {
            NodeStatusSnapshot snapshot = source.Snapshot();
            NodeRates current = rates.Observe(snapshot);
            string line = ProgressLine.Format(snapshot, current);
            ProgressLog.Line(logger, line);
        }
        while (await Tick(timer, cancellation).ConfigureAwait(false));
    }

    /// <summary>Draws bars on <paramref name="console"/>, redrawn every <paramref name="interval"/>.</summary>
    public static async Task RunBarsAsync(IAnsiConsole console, INodeStatusSource source, TimeSpan interval, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(source);
        var rates = new RateTracker();
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                ProgressTask traffic = context.AddTask("traffic", maxValue: 1);
                traffic.IsIndeterminate = true;
                using var timer = new PeriodicTimer(interval);
                do
                {
                    NodeStatusSnapshot snapshot = source.Snapshot();
                    NodeRates current = rates.Observe(snapshot);
                    foreach (StageRate stage in current.Stages) Update(context, tasks, stage);
                    traffic.Description = Markup.Escape(Traffic(snapshot, current));
                    context.Refresh();
                }
                while (await Tick(timer, cancellation).ConfigureAwait(false));
            }).ConfigureAwait(false);
    }

    private static void Update(ProgressContext context, Dictionary<string, ProgressTask> tasks, StageRate stage)
    {
        if (!tasks.TryGetValue(stage.Name, out ProgressTask? task))
        {
            task = context.AddTask(stage.Name, maxValue: 1);
            tasks.Add(stage.Name, task);
        }
        task.Description = Markup.Escape(ProgressLine.Stage(stage));
        if (stage.Total is > 0 and var total)
        {
            task.IsIndeterminate = false;
            task.MaxValue = total;
            task.Value = Math.Clamp(stage.Done, 0, total);
        }
        else
        {
            task.IsIndeterminate = true;
        }
    }

    private static string Traffic(NodeStatusSnapshot snapshot, NodeRates rates)
        => $"{snapshot.Role.ToString().ToLowerInvariant()} · epoch {snapshot.Epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} · "
         + $"{snapshot.Peers.Count} peers · in {Quantity.Bytes(snapshot.BytesIn)} {Quantity.ByteRate(rates.BytesInPerSecond)} · "
         + $"out {Quantity.Bytes(snapshot.BytesOut)} {Quantity.ByteRate(rates.BytesOutPerSecond)}{(snapshot.Synced ? " · synced" : "")}";

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
