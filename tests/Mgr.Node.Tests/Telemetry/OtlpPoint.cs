namespace Mgr.Node.Tests.Telemetry;

/// <summary>One data point: its attributes and its value (null for histograms).</summary>
internal sealed record OtlpPoint(IReadOnlyDictionary<string, object> Attributes, double? Value);
