namespace Mgr.Node.Telemetry;

/// <summary>Who is exporting: becomes the OTLP resource (<c>service.name</c> = "mgrsync", <c>service.instance.id</c>,
/// <c>mgr.peer.id</c>, <c>mgr.network.id</c>, <c>mgr.network.name</c>, <c>mgr.role</c>). Resource attributes are
/// fixed for the process, so <paramref name="Role"/> is the configured role (seeder, leecher or auto).
/// <paramref name="InstanceId"/> defaults to the peer id.</summary>
public sealed record TelemetryIdentity(string PeerId, ulong NetworkId, string? NetworkName, string Role, string? InstanceId = null);
