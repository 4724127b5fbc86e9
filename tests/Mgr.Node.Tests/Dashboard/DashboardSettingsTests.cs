using System.Net;
using Mgr.Node.Dashboard;

namespace Mgr.Node.Tests.Dashboard;

public sealed class DashboardSettingsTests
{
    [Theory]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("localhost:9000", "127.0.0.1", 9000)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("8081", "127.0.0.1", 8081)]
    [InlineData(" 127.0.0.1:0 ", "127.0.0.1", 0)]
    public void Parses_loopback_addresses(string text, string address, int port)
    {
        DashboardSettings settings = DashboardSettings.Parse(text, allowRemote: false);

        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), settings.Endpoint);
        Assert.False(settings.IsRemote);
    }

    [Theory]
    [InlineData("0.0.0.0:8080")]
    [InlineData("192.168.1.5:8080")]
    public void Refuses_a_remote_address_without_the_explicit_flag(string text)
    {
        FormatException error = Assert.Throws<FormatException>(() => DashboardSettings.Parse(text, allowRemote: false));

        Assert.Contains("--dashboard-allow-remote", error.Message, StringComparison.Ordinal);
        Assert.True(DashboardSettings.Parse(text, allowRemote: true).IsRemote);
    }

    [Theory]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("")]
    public void Rejects_malformed_addresses(string text)
    {
        Assert.Throws<FormatException>(() => DashboardSettings.Parse(text, allowRemote: true));
    }
}
