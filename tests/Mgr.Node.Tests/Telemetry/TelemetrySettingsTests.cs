using Mgr.Node.Telemetry;

namespace Mgr.Node.Tests.Telemetry;

public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("http://collector:4317", null, OtlpProtocol.Grpc, "http://collector:4317/")]
    [InlineData("http://collector:4318", null, OtlpProtocol.HttpProtobuf, "http://collector:4318/v1/metrics")]
    [InlineData("https://otel.example/v1/metrics", null, OtlpProtocol.HttpProtobuf, "https://otel.example/v1/metrics")]
    [InlineData("http://collector:9000", "http", OtlpProtocol.HttpProtobuf, "http://collector:9000/v1/metrics")]
    [InlineData("http://collector:4318", "grpc", OtlpProtocol.Grpc, "http://collector:4318/")]
    public void Infers_or_takes_the_protocol_and_completes_the_http_path(string url, string? asked, OtlpProtocol protocol, string endpoint)
    {
        OtlpProtocol? given = asked switch { "http" => OtlpProtocol.HttpProtobuf, "grpc" => OtlpProtocol.Grpc, _ => null };

        TelemetrySettings settings = TelemetrySettings.Create(new Uri(url), given);

        Assert.Equal((protocol, endpoint), (settings.Protocol, settings.Endpoint.ToString()));
        Assert.Equal(TelemetrySettings.DefaultExportInterval, settings.ExportInterval);
    }

    [Theory]
    [InlineData("ftp://collector:4317")]
    [InlineData("file:///tmp/metrics")]
    public void Rejects_an_endpoint_that_is_not_http(string url)
    {
        Assert.Throws<ArgumentException>(() => TelemetrySettings.Create(new Uri(url), null));
    }

    [Fact]
    public void Rejects_a_grpc_endpoint_with_a_path()
    {
        Assert.Throws<ArgumentException>(() => TelemetrySettings.Create(new Uri("http://collector:4317/v1/metrics"), OtlpProtocol.Grpc));
    }

    [Fact]
    public void Rejects_a_non_positive_interval()
    {
        Assert.Throws<ArgumentException>(() => TelemetrySettings.Create(new Uri("http://collector:4318"), null, TimeSpan.Zero));
    }
}
