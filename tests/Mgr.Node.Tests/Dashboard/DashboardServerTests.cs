using System.Net;
using System.Text.Json;
using Mgr.Node.Dashboard;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mgr.Node.Tests.Dashboard;

public sealed class DashboardServerTests
{
    [Fact]
    public async Task Serves_a_self_contained_page_with_a_restrictive_content_security_policy()
    {
        await using DashboardServer server = Start(new FakeNodeStatusSource());
        using var client = new HttpClient();

        using HttpResponseMessage response = await client.GetAsync(server.Address);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"ring\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_sources_status_as_json_and_follows_it()
    {
        var source = new FakeNodeStatusSource();
        await using DashboardServer server = Start(source);
        using var client = new HttpClient();
        var status = new Uri(server.Address, "/api/status");

        using JsonDocument first = JsonDocument.Parse(await client.GetStringAsync(status));
        source.Grow();
        using JsonDocument second = JsonDocument.Parse(await client.GetStringAsync(status));

        Assert.Equal(0.125, first.RootElement.GetProperty("coverage").GetProperty("fraction").GetDouble(), 12);
        Assert.Equal(0.25, second.RootElement.GetProperty("coverage").GetProperty("fraction").GetDouble(), 12);
        Assert.Equal(2, source.Snapshots);
    }

    [Fact]
    public async Task Answers_unknown_paths_with_404_and_other_methods_with_405()
    {
        await using DashboardServer server = Start(new FakeNodeStatusSource());
        using var client = new HttpClient();

        using HttpResponseMessage missing = await client.GetAsync(new Uri(server.Address, "/etc/passwd"));
        using HttpResponseMessage post = await client.PostAsync(new Uri(server.Address, "/api/status"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Refuses_requests_for_another_host_name_so_dns_rebinding_cannot_read_it()
    {
        await using DashboardServer server = Start(new FakeNodeStatusSource());
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "/api/status"));
        request.Headers.Host = $"attacker.example:{server.Address.Port}";

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("16Uiu2HAmFakeSelfPeer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_serving_after_the_status_source_throws()
    {
        var source = new ThrowingOnceSource();
        await using DashboardServer server = Start(source);
        using var client = new HttpClient();
        var status = new Uri(server.Address, "/api/status");

        using HttpResponseMessage failed = await client.GetAsync(status);
        string json = await client.GetStringAsync(status);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("16Uiu2HAmFakeSelfPeer", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_taken_port_as_a_dashboard_exception()
    {
        await using DashboardServer first = Start(new FakeNodeStatusSource());
        var taken = DashboardSettings.Parse($"127.0.0.1:{first.Address.Port}", allowRemote: false);

        DashboardException error = Assert.Throws<DashboardException>(() => DashboardServer.Start(taken, new FakeNodeStatusSource(), NullLogger.Instance));

        Assert.Contains($"127.0.0.1:{first.Address.Port}", error.Message, StringComparison.Ordinal);
    }

    private static DashboardServer Start(INodeStatusSource source)
        => DashboardServer.Start(DashboardSettings.Parse("127.0.0.1:0", allowRemote: false), source, NullLogger.Instance);

    private sealed class ThrowingOnceSource : INodeStatusSource
    {
        private readonly FakeNodeStatusSource _inner = new();
        private int _calls;

        public NodeStatusSnapshot Snapshot()
            => Interlocked.Increment(ref _calls) == 1 ? throw new InvalidOperationException("engine stopped") : _inner.Snapshot();
    }
}
