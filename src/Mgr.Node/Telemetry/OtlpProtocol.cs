namespace Mgr.Node.Telemetry;

/// <summary>The OTLP transport the metrics exporter speaks.</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP/HTTP with a binary protobuf body, POSTed to the full <c>…/v1/metrics</c> URL (port 4318 by convention).</summary>
    HttpProtobuf,

    /// <summary>OTLP/gRPC over HTTP/2 (port 4317 by convention).</summary>
    Grpc,
}
