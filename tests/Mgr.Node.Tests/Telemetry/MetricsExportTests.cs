using System.Diagnostics.Metrics;
using Mgr.Node.Metrics;
using Mgr.Node.Telemetry;
using Mgr.Protocol.Messages;

namespace Mgr.Node.Tests.Telemetry;

public sealed class MetricsExportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static readonly TelemetryIdentity Identity = new("16Uiu2HAmTestPeer", 1337, "devnet", "leecher", "instance-7");

    [Fact]
    public async Task Exports_test_meter_measurements_over_http_protobuf_with_names_units_values_and_resource()
    {
        await using var collector = new OtlpHttpCollector();
        using var meter = new Meter("MgrSync.Test");
        Counter<long> bytes = meter.CreateCounter<long>("mgr.test.bytes", "By", "Bytes of the test");
        meter.CreateObservableGauge("mgr.test.coverage", () => 0.25, "1", "Coverage of the test");
        var settings = TelemetrySettings.Create(new Uri(collector.BaseAddress, "/v1/metrics"), OtlpProtocol.HttpProtobuf, TimeSpan.FromHours(1));
        using MetricsExport export = MetricsExport.Start(settings, Identity)!;

        bytes.Add(5, new KeyValuePair<string, object?>("mgr.test.kind", "a"));
        bytes.Add(7, new KeyValuePair<string, object?>("mgr.test.kind", "a"));
        bytes.Add(100, new KeyValuePair<string, object?>("mgr.test.kind", "b"));
        Assert.True(export.Flush(Wait));
        (string path, string contentType, byte[] body) = await collector.NextAsync(Wait);
        OtlpMetricsRequest request = OtlpMetricsRequest.Decode(body);

        Assert.Equal("/v1/metrics", path);
        Assert.Equal("application/x-protobuf", contentType);
        OtlpMetric counter = request.Metric("mgr.test.bytes");
        Assert.Equal(("MgrSync.Test", "By", "sum", "Bytes of the test"), (counter.Scope, counter.Unit, counter.Kind, counter.Description));
        Assert.Equal(12, counter.Points.Single(p => (string)p.Attributes["mgr.test.kind"] == "a").Value);
        Assert.Equal(100, counter.Points.Single(p => (string)p.Attributes["mgr.test.kind"] == "b").Value);
        OtlpMetric gauge = request.Metric("mgr.test.coverage");
        Assert.Equal(("1", "gauge", 0.25), (gauge.Unit, gauge.Kind, gauge.Points.Single().Value));
    }

    [Fact]
    public async Task Exports_the_resource_attributes_of_the_node()
    {
        await using var collector = new OtlpHttpCollector();
        using var meter = new Meter("MgrSync.Test");
        meter.CreateCounter<long>("mgr.test.ticks", "{tick}").Add(1);
        var settings = TelemetrySettings.Create(collector.BaseAddress, OtlpProtocol.HttpProtobuf, TimeSpan.FromHours(1));
        using MetricsExport export = MetricsExport.Start(settings, Identity)!;

        meter.CreateCounter<long>("mgr.test.more_ticks", "{tick}").Add(1);
        Assert.True(export.Flush(Wait));
        OtlpMetricsRequest request = OtlpMetricsRequest.Decode((await collector.NextAsync(Wait)).Body);

        Assert.Equal("mgrsync", request.Resource["service.name"]);
        Assert.Equal("instance-7", request.Resource["service.instance.id"]);
        Assert.Equal("16Uiu2HAmTestPeer", request.Resource["mgr.peer.id"]);
        Assert.Equal(1337L, request.Resource["mgr.network.id"]);
        Assert.Equal("devnet", request.Resource["mgr.network.name"]);
        Assert.Equal("leecher", request.Resource["mgr.role"]);
    }

    [Fact]
    public async Task Exports_the_swarm_engines_own_instruments()
    {
        await using var collector = new OtlpHttpCollector();
        var settings = TelemetrySettings.Create(collector.BaseAddress, OtlpProtocol.HttpProtobuf, TimeSpan.FromHours(1));
        using MetricsExport export = MetricsExport.Start(settings, Identity)!;
        using var swarm = new SwarmMetrics("export-test-node");

        swarm.BytesIn(MessageCode.StateData, 4096);
        swarm.BytesIn(MessageCode.StateData, 1024);
        swarm.SetCoverage(0.5);
        Assert.True(export.Flush(Wait));
        OtlpMetricsRequest request = OtlpMetricsRequest.Decode((await collector.NextAsync(Wait)).Body);

        OtlpMetric bytesIn = request.Metric("mgr.swarm.bytes.in");
        Assert.Equal((SwarmMetrics.MeterName, "By", "sum"), (bytesIn.Scope, bytesIn.Unit, bytesIn.Kind));
        OtlpPoint point = bytesIn.Points.Single(p => Equals(p.Attributes["node"], "export-test-node"));
        Assert.Equal((5120.0, "StateData"), (point.Value, point.Attributes["message"]));
        OtlpMetric coverage = request.Metric("mgr.swarm.coverage");
        Assert.Equal(0.5, coverage.Points.Single(p => Equals(p.Attributes["node"], "export-test-node")).Value);
    }

    [Fact]
    public async Task Exports_over_grpc_to_an_http2_listener()
    {
        await using var collector = new OtlpGrpcCollector();
        using var meter = new Meter("MgrSync.Test");
        Counter<long> chunks = meter.CreateCounter<long>("mgr.test.grpc.chunks", "{chunk}", "Chunks over gRPC");
        var settings = TelemetrySettings.Create(collector.BaseAddress, null, TimeSpan.FromHours(1));
        using MetricsExport export = MetricsExport.Start(settings, Identity)!;

        chunks.Add(41);
        chunks.Add(1);
        Assert.True(export.Flush(Wait));
        OtlpMetricsRequest request = OtlpMetricsRequest.Decode(await collector.NextAsync(Wait));

        Assert.Equal(OtlpProtocol.Grpc, settings.Protocol);
        OtlpMetric metric = request.Metric("mgr.test.grpc.chunks");
        Assert.Equal(("{chunk}", "sum", 42.0), (metric.Unit, metric.Kind, metric.Points.Single().Value));
        Assert.Equal("16Uiu2HAmTestPeer", request.Resource["mgr.peer.id"]);
    }

    [Fact]
    public async Task Does_not_export_meters_outside_the_MgrSync_prefix()
    {
        await using var collector = new OtlpHttpCollector();
        using var foreign = new Meter("Other.Library");
        using var own = new Meter("MgrSync.Test");
        var settings = TelemetrySettings.Create(collector.BaseAddress, OtlpProtocol.HttpProtobuf, TimeSpan.FromHours(1));
        using MetricsExport export = MetricsExport.Start(settings, Identity)!;

        foreign.CreateCounter<long>("other.requests").Add(3);
        own.CreateCounter<long>("mgr.test.requests").Add(3);
        Assert.True(export.Flush(Wait));
        OtlpMetricsRequest request = OtlpMetricsRequest.Decode((await collector.NextAsync(Wait)).Body);

        Assert.Contains(request.Metrics, metric => metric.Name == "mgr.test.requests");
        Assert.DoesNotContain(request.Metrics, metric => metric.Name == "other.requests");
    }

    [Fact]
    public void Start_returns_null_when_export_is_off()
    {
        Assert.Null(MetricsExport.Start(null, Identity));
    }
}
