using System.Globalization;
using System.Text;

namespace Mgr.Node.Simulation;

/// <summary>A self-contained SVG (no scripts, fonts or links) of simulation results: coverage over time of a few sample
/// leechers and the median, with the bound marked, for the largest run; and completion time against N with the bound
/// for every run given (a sweep).</summary>
public static class SimulationSvg
{
    private const int Width = 640, Height = 300, Left = 60, Right = 20, Top = 30, Bottom = 40;
    private static readonly string[] Palette = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b"];

    /// <summary>Renders <paramref name="results"/> (one run, or a sweep over N).</summary>
    public static string Render(IReadOnlyList<SimulationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("Nothing to plot.", nameof(results));
        SimulationResult largest = results.MaxBy(static result => result.Settings.Nodes)!;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height * 2}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Coverage(svg, largest);
        Sweep(svg, results);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Coverage(StringBuilder svg, SimulationResult result)
    {
        double maxTime = Math.Max(result.Coverage.Count == 0 ? 1 : result.Coverage[^1].Seconds, result.LowerBoundSeconds * 1.05);
        Frame(svg, 0, Invariant($"Coverage over time — {SimulationJson.ModeName(result.Settings.Mode)}, N = {result.Settings.Leechers} leechers"),
              "virtual seconds", "coverage", maxTime, 1);
        int leechers = result.Coverage.Count == 0 ? 0 : result.Coverage[0].Coverage.Count;
        int[] picks = [.. Enumerable.Range(0, Math.Min(4, leechers)).Select(i => i * leechers / Math.Max(1, Math.Min(4, leechers)))];
        for (int p = 0; p < picks.Length; p++)
            Line(svg, 0, result.Coverage.Select(sample => (sample.Seconds, sample.Coverage[picks[p]])), maxTime, 1, Palette[p], 1, Invariant($"leecher{picks[p]}"), p);
        Line(svg, 0, result.Coverage.Select(static sample => (sample.Seconds, Median(sample.Coverage))), maxTime, 1, "#d62728", 2.5, "median", picks.Length);
        VerticalMarker(svg, 0, result.LowerBoundSeconds, maxTime, "bound");
    }

    private static void Sweep(StringBuilder svg, IReadOnlyList<SimulationResult> results)
    {
        List<SimulationResult> ordered = [.. results.OrderBy(static result => result.Settings.Leechers)];
        double maxN = ordered[^1].Settings.Leechers, minN = ordered[0].Settings.Leechers;
        double maxTime = ordered.Max(static result => Math.Max(double.IsFinite(result.MaxCompletionSeconds) ? result.MaxCompletionSeconds : 0, result.LowerBoundSeconds)) * 1.1;
        Frame(svg, Height, "Completion time vs N (leechers, log scale; runs that did not finish are left out)", "N", "virtual seconds", 1, maxTime);
        double X(double n) => minN == maxN ? 0.5 : Math.Log(n / minN) / Math.Log(maxN / minN);
        Line(svg, Height, ordered.Select(r => (X(r.Settings.Leechers), r.LowerBoundSeconds)), 1, maxTime, "#7f7f7f", 1.5, "lower bound", 0, dashed: true);
        Line(svg, Height, ordered.Select(r => (X(r.Settings.Leechers), r.MedianCompletionSeconds)), 1, maxTime, "#1f77b4", 2, "median", 1);
        Line(svg, Height, ordered.Select(r => (X(r.Settings.Leechers), r.MaxCompletionSeconds)), 1, maxTime, "#d62728", 2, "max", 2);
        foreach (SimulationResult result in ordered)
        {
            double x = Left + X(result.Settings.Leechers) * (Width - Left - Right);
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{Height * 2 - Bottom + 14}\" text-anchor=\"middle\">{result.Settings.Leechers}</text>\n"));
        }
    }

    private static void Frame(StringBuilder svg, int offset, string title, string xLabel, string yLabel, double maxX, double maxY)
    {
        int bottom = offset + Height - Bottom;
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{offset + 18}\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>\n"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{offset + Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n"));
        for (int i = 0; i <= 4; i++)
        {
            double y = bottom - i * (Height - Top - Bottom) / 4.0;
            svg.Append(Invariant($"<text x=\"{Left - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{maxY * i / 4:G3}</text>\n"));
            if (xLabel != "N")
            {
                double x = Left + i * (Width - Left - Right) / 4.0;
                svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{bottom + 14}\" text-anchor=\"middle\">{maxX * i / 4:G3}</text>\n"));
            }
        }
        svg.Append(Invariant($"<text x=\"{Left + (Width - Left - Right) / 2}\" y=\"{bottom + 30}\" text-anchor=\"middle\">{Escape(xLabel)}</text>\n"));
        svg.Append(Invariant($"<text x=\"14\" y=\"{offset + Height / 2}\" transform=\"rotate(-90 14 {offset + Height / 2})\" text-anchor=\"middle\">{Escape(yLabel)}</text>\n"));
    }

    private static void Line(StringBuilder svg, int offset, IEnumerable<(double X, double Y)> points, double maxX, double maxY, string color, double width,
                             string label, int legendRow, bool dashed = false)
    {
        var path = new StringBuilder();
        foreach ((double x, double y) in points)
        {
            if (!double.IsFinite(y)) continue;
            double px = Left + x / maxX * (Width - Left - Right), py = offset + Height - Bottom - y / maxY * (Height - Top - Bottom);
            path.Append(Invariant($"{(path.Length == 0 ? "M" : " L")}{px:F1},{py:F1}"));
        }
        if (path.Length == 0) return;
        string dash = dashed ? " stroke-dasharray=\"6 4\"" : "";
        svg.Append(Invariant($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"{dash}/>\n"));
        int legendY = offset + Top + 14 + legendRow * 14;
        svg.Append(Invariant($"<line x1=\"{Width - Right - 110}\" y1=\"{legendY - 4}\" x2=\"{Width - Right - 92}\" y2=\"{legendY - 4}\" stroke=\"{color}\" stroke-width=\"{width}\"{dash}/>\n"));
        svg.Append(Invariant($"<text x=\"{Width - Right - 88}\" y=\"{legendY}\">{Escape(label)}</text>\n"));
    }

    private static void VerticalMarker(StringBuilder svg, int offset, double x, double maxX, string label)
    {
        double px = Left + x / maxX * (Width - Left - Right);
        svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{offset + Top}\" x2=\"{px:F1}\" y2=\"{offset + Height - Bottom}\" stroke=\"#7f7f7f\" stroke-dasharray=\"6 4\"/>\n"));
        svg.Append(Invariant($"<text x=\"{px + 3:F1}\" y=\"{offset + Top + 12}\" fill=\"#555\">{Escape(label)}</text>\n"));
    }

    private static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted[(sorted.Length - 1) / 2];
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
