using System.Globalization;
using Mgr.Node.Progress;
using Spectre.Console;

namespace Mgr.Node.Demo;

/// <summary>The demo's closing table: per node, root = expected (✓/✗), time to synced, bytes in/out, duplicate
/// ratio; then the seeder's egress against the state size and, when the run failed, why.</summary>
public static class DemoTable
{
    /// <summary>Writes the table for <paramref name="result"/> on <paramref name="console"/>.</summary>
    public static void Write(IAnsiConsole console, DemoResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var table = new Table().AddColumns("node", "role", "root = expected", "synced in", "bytes in", "bytes out", "duplicates");
        foreach (DemoNodeResult node in result.Nodes)
        {
            string mark = result.Matches(node) ? "[green]✓[/]" : "[red]✗[/]";
            string root = (node.Root is { } r ? Markup.Escape(Short(r.ToString())) : "-")
                + (node.StateBlock is { } followed ? string.Create(c, $" [grey](block {followed.Number})[/]") : "");
            table.AddRow(
                Markup.Escape(node.Name), node.Role, $"{mark} {root}",
                node.SecondsToSynced is { } s ? string.Create(c, $"{s:0.0} s") : (node.Role == "seeder" ? "-" : "[red]no[/]"),
                Quantity.Bytes(node.BytesIn), Quantity.Bytes(node.BytesOut),
                node.DuplicateRatio is { } d ? string.Create(c, $"{d * 100:0.0}%") : "n/a");
        }
        console.Write(table);
        console.MarkupLine("[grey]a leecher's root is rebuilt from its own store after it stopped (a leecher that went on following the chain by " +
                           "state diffs holds a later block's state: (block n)); the seeder's is the root it served[/]");
        console.MarkupLine(Markup.Escape(string.Create(c,
            $"expected root {result.ExpectedRoot} (block {result.ExpectedBlock}); state {Quantity.Bytes(result.StateBytes)}; seeder egress {Quantity.Bytes(result.SeederEgressBytes)}")
            + (result.EgressPerStateBytes is { } e ? string.Create(c, $" = {e:0.00}× the state") : "")
            + (result.SeederStateEgressBytes is { } state && result.StateEgressPerStateBytes is { } se
                ? string.Create(c, $", of which state data {Quantity.Bytes(state)} = {se:0.00}× (the rest: headers and protocol messages)") : "")));
        foreach (DemoNodeResult node in result.Nodes.Where(n => n.Problem is not null))
            console.MarkupLine($"[yellow]{Markup.Escape(node.Name)}[/]: {Markup.Escape(node.Problem!)}");
        if (result.Failure is { } failure) console.MarkupLine($"[red]demo failed:[/] {Markup.Escape(failure)}");
        else if (!result.Success) console.MarkupLine("[red]demo failed:[/] not every leecher ended with the expected root");
        else console.MarkupLine(string.Create(c, $"[green]every leecher synced to the expected root[/] in {result.Seconds:0.0} s"));
    }

    private static string Short(string hex) => hex.Length > 12 ? hex[..6] + "…" + hex[^4..] : hex;
}
