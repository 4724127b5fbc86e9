namespace Mgr.Node.Tests.Telemetry;

/// <summary>One metric of a decoded OTLP request.</summary>
internal sealed record OtlpMetric(string Scope, string Name, string Unit, string Description, string Kind, IReadOnlyList<OtlpPoint> Points);
