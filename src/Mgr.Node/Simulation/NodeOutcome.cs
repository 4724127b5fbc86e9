namespace Mgr.Node.Simulation;

/// <summary>What one simulated node did: when it completed (null if it did not, or is a seeder), the chunk bytes it
/// moved on the wire (scaled like the state) and how many sessions the topology gave it.</summary>
public sealed record NodeOutcome(string Name, bool IsSeeder, double? CompletionSeconds, long ChunkBytesUploaded, long ChunkBytesDownloaded,
                                 long DuplicateBytes, long WireBytesSent, bool WentOffline, long PullRequests, long ChunksForwarded, long PenaltiesGiven,
                                 int Sessions);
