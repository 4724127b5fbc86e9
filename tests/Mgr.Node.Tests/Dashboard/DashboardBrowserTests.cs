using System.Text.RegularExpressions;
using Mgr.Node.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Mgr.Node.Tests.Dashboard;

/// <summary>Loads the dashboard in headless Chromium (Debian's chromium; the test fails with the install command when it
/// is missing) and reads the rendered DOM.</summary>
public sealed partial class DashboardBrowserTests(ITestOutputHelper output)
{
    private const int Budget = 3000;

    [Fact]
    public async Task Renders_the_ring_the_peers_and_the_coverage_and_follows_its_growth()
    {
        var source = new FakeNodeStatusSource();
        await using DashboardServer server = StartServer(source);

        string first = await Chromium.DumpDomAsync(server.Address, Budget);
        source.Grow();
        source.Grow();
        source.Grow();
        string second = await Chromium.DumpDomAsync(server.Address, Budget);

        Assert.Contains("<svg id=\"ring\"", first, StringComparison.Ordinal);
        Assert.Equal(1, Count(first, "class=\"arc-self\""));
        Assert.Equal(2, Count(first, "class=\"arc-peer\""));
        Assert.Contains("id=\"ride-marker\"", first, StringComparison.Ordinal);
        Assert.Equal("12.50% of the account keyspace in 1 intervals", Text(first, "coverage"));
        Assert.Equal("50.00% of the account keyspace in 4 intervals", Text(second, "coverage"));
        Assert.Equal(4, Count(second, "class=\"arc-self\""));
        Assert.Equal("2", Text(second, "peer-count"));
        Assert.Contains("title=\"16Uiu2HAmFakeSeederPeerOne\"", second, StringComparison.Ordinal);
        Assert.True(int.Parse(Text(second, "polls"), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(source.Snapshots >= 2);
    }

    [Fact]
    public async Task Keeps_a_screenshot_of_the_dashboard_as_a_test_artifact()
    {
        var source = new FakeNodeStatusSource();
        for (int i = 0; i < 4; i++) source.Grow();
        await using DashboardServer server = StartServer(source);
        string folder = System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");
        Directory.CreateDirectory(folder);
        string file = System.IO.Path.Combine(folder, "dashboard.png");
        File.Delete(file);

        await Chromium.ScreenshotAsync(server.Address, Budget, file);

        byte[] png = await File.ReadAllBytesAsync(file);
        Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        output.WriteLine($"dashboard screenshot: {file}");
    }

    private static DashboardServer StartServer(FakeNodeStatusSource source)
        => DashboardServer.Start(DashboardSettings.Parse("127.0.0.1:0", allowRemote: false), source, NullLogger.Instance);

    private static int Count(string dom, string needle) => Regex.Count(dom, Regex.Escape(needle));

    private static string Text(string dom, string id)
    {
        Match match = Regex.Match(dom, $"id=\"{id}\"[^>]*>([^<]*)<");
        Assert.True(match.Success, $"no element #{id} in the DOM");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
