using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Mgr.Node.Telemetry;

/// <summary>Exports every meter whose name starts with <see cref="MeterPrefix"/> over OTLP (HTTP/protobuf or gRPC),
/// periodically and once more on dispose. Export failures are the exporter's business (retried, logged through
/// OpenTelemetry's event source): they never reach the node.</summary>
public sealed class MetricsExport : IDisposable
{
    /// <summary>Meters exported: <c>MgrSync.Swarm</c> and every other <c>MgrSync…</c> meter.</summary>
    public const string MeterPrefix = "MgrSync";

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public const string ServiceName = "mgrsync";

    private readonly MeterProvider _provider;

    private MetricsExport(MeterProvider provider, TelemetrySettings settings)
    {
        _provider = provider;
        Settings = settings;
    }

    /// <summary>Where this export goes.</summary>
    public TelemetrySettings Settings { get; }

    /// <summary>Starts exporting, or returns null when <paramref name="settings"/> is null (export off).</summary>
    public static MetricsExport? Start(TelemetrySettings? settings, TelemetryIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (settings is null) return null;
        MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.Clear().AddService(ServiceName, serviceInstanceId: identity.InstanceId ?? identity.PeerId,
                    autoGenerateServiceInstanceId: false)
                .AddAttributes(Attributes(identity)))
            .AddMeter(MeterPrefix + "*")
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = settings.Endpoint;
                exporter.Protocol = settings.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Clamp(settings.ExportInterval.TotalMilliseconds, 1, int.MaxValue);
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        return new MetricsExport(provider, settings);
    }

    /// <summary>Exports now; false when the export failed or timed out.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));

    /// <summary>Exports once more and stops.</summary>
    public void Dispose() => _provider.Dispose();

    private static IEnumerable<KeyValuePair<string, object>> Attributes(TelemetryIdentity identity)
    {
        yield return new("mgr.peer.id", identity.PeerId);
        yield return new("mgr.network.id", identity.NetworkId <= long.MaxValue ? (long)identity.NetworkId : identity.NetworkId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (identity.NetworkName is { } name) yield return new("mgr.network.name", name);
        yield return new("mgr.role", identity.Role);
    }
}
