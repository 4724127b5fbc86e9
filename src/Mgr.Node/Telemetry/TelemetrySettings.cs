namespace Mgr.Node.Telemetry;

/// <summary>Where and how often the node exports its metrics. <see cref="Endpoint"/> is final: for
/// <see cref="OtlpProtocol.HttpProtobuf"/> it is the full <c>…/v1/metrics</c> URL (see <see cref="Create"/>).</summary>
public sealed record TelemetrySettings
{
    /// <summary>The collector's OTLP metrics endpoint.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The transport.</summary>
    public required OtlpProtocol Protocol { get; init; }

    /// <summary>Time between two exports.</summary>
    public TimeSpan ExportInterval { get; init; } = DefaultExportInterval;

    /// <summary>The export interval when none is given.</summary>
    public static TimeSpan DefaultExportInterval { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Settings for <paramref name="endpoint"/>, inferring the protocol when <paramref name="protocol"/> is null:
    /// a URL with a path (other than "/") or port 4318 is OTLP/HTTP, anything else OTLP/gRPC (the OTLP default,
    /// port 4317). For OTLP/HTTP a URL without a path gets <c>/v1/metrics</c> appended.</summary>
    /// <exception cref="ArgumentException">When the URL is not absolute http(s), or gRPC is asked for with a path.</exception>
    public static TelemetrySettings Create(Uri endpoint, OtlpProtocol? protocol, TimeSpan? exportInterval = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{endpoint}' is not an http:// or https:// URL", nameof(endpoint));
        if (exportInterval is { } interval && interval <= TimeSpan.Zero)
            throw new ArgumentException($"export interval {interval} is not positive", nameof(exportInterval));
        bool hasPath = endpoint.AbsolutePath.Length > 1;
        OtlpProtocol chosen = protocol ?? (hasPath || endpoint.Port == 4318 ? OtlpProtocol.HttpProtobuf : OtlpProtocol.Grpc);
        if (chosen == OtlpProtocol.Grpc && hasPath)
            throw new ArgumentException($"'{endpoint}': an OTLP/gRPC endpoint has no path (e.g. http://host:4317)", nameof(endpoint));
        Uri final = chosen == OtlpProtocol.HttpProtobuf && !hasPath ? new Uri(endpoint, "/v1/metrics") : endpoint;
        return new TelemetrySettings { Endpoint = final, Protocol = chosen, ExportInterval = exportInterval ?? DefaultExportInterval };
    }
}
