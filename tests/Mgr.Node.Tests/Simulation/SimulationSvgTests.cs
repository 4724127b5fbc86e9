using System.Xml.Linq;
using Mgr.Node.Simulation;
using Xunit;

namespace Mgr.Node.Tests.Simulation;

public sealed class SimulationSvgTests
{
    [Fact]
    public void A_sweep_renders_as_well_formed_svg_without_external_assets()
    {
        var settings = new SimulationSettings { Nodes = 3, Accounts = 400, StateBytes = 1_000_000, Seed = 2 };
        SimulationResult[] sweep = [SwarmSimulation.Run(settings), SwarmSimulation.Run(settings with { Nodes = 5 })];

        string svg = SimulationSvg.Render(sweep);

        XDocument document = XDocument.Parse(svg);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.DoesNotContain("href", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        Assert.Contains(">lower bound<", svg, StringComparison.Ordinal);
        Assert.Contains(">median<", svg, StringComparison.Ordinal);
    }
}
