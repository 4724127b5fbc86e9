using System.Text.Json;

namespace Mgr.Node.Simulation;

/// <summary>Writes a <see cref="SimulationResult"/> as the JSON object of spec/cli.md ("mgr sim"): rates in bytes per
/// second, sizes in wire bytes, times in virtual seconds; a time that never came (a leecher that did not finish) is null.</summary>
public static class SimulationJson
{
    /// <summary>Writes one result as an object.</summary>
    public static void Write(Utf8JsonWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        SimulationSettings settings = result.Settings;
        writer.WriteStartObject();
        writer.WriteString("mode", ModeName(settings.Mode));
        writer.WriteNumber("nodes", settings.Nodes);
        writer.WriteNumber("seeders", settings.Seeders);
        writer.WriteNumber("leechers", settings.Leechers);
        writer.WriteNumber("stateBytes", settings.StateBytes);
        writer.WriteNumber("seederUploadBps", settings.SeederUploadBytesPerSecond);
        writer.WriteNumber("peerUploadBps", settings.PeerUploadBytesPerSecond);
        writer.WriteNumber("peerDownloadBps", settings.PeerDownloadBytesPerSecond);
        writer.WriteNumber("latencyMs", settings.Latency.TotalMilliseconds);
        writer.WriteNumber("churn", settings.Churn);
        writer.WriteNumber("seed", settings.Seed);
        writer.WriteNumber("degree", settings.Degree);
        writer.WriteNumber("targetPeers", settings.TargetPeers);
        writer.WriteNumber("chunkDepth", result.State.Depth);
        writer.WriteNumber("chunks", result.State.ChunkCount);
        writer.WriteNumber("realStateBytes", result.State.RideBytes);
        writer.WriteNumber("lowerBoundSeconds", Round(result.LowerBoundSeconds));
        writer.WriteNumber("clientServerBoundSeconds", Round(result.ClientServerBoundSeconds));
        writer.WriteBoolean("completed", result.Completed);
        writer.WriteStartObject("completionSeconds");
        Number(writer, "median", result.MedianCompletionSeconds);
        Number(writer, "max", result.MaxCompletionSeconds);
        writer.WriteEndObject();
        writer.WriteStartObject("completionOverBound");
        Number(writer, "median", result.MedianCompletionSeconds / result.LowerBoundSeconds);
        Number(writer, "max", result.MaxCompletionSeconds / result.LowerBoundSeconds);
        writer.WriteEndObject();
        writer.WriteNumber("seederEgressBytes", result.SeederEgressBytes);
        writer.WriteNumber("seederEgressOverState", Round((double)result.SeederEgressBytes / settings.StateBytes));
        writer.WriteNumber("duplicateBytes", result.DuplicateBytes);
        writer.WriteNumber("duplicateRatio", Round(result.DuplicateRatio));
        writer.WriteNumber("seederUploadShare", Round(result.SeederUploadShare));
        writer.WriteNumber("pullRequests", result.Nodes.Sum(static node => node.PullRequests));
        writer.WriteNumber("chunksForwarded", result.Nodes.Sum(static node => node.ChunksForwarded));
        writer.WriteNumber("penalties", result.Nodes.Sum(static node => node.PenaltiesGiven));
        writer.WriteStartObject("messages");
        foreach ((string kind, long count) in result.MessagesSent) writer.WriteNumber(kind, count);
        writer.WriteEndObject();
        writer.WriteNumber("virtualSeconds", Round(result.EndSeconds));
        writer.WriteNumber("events", result.EventsProcessed);
        writer.WriteStartArray("perNode");
        foreach (NodeOutcome node in result.Nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("name", node.Name);
            writer.WriteBoolean("seeder", node.IsSeeder);
            if (node.CompletionSeconds is { } done) writer.WriteNumber("completionSeconds", Round(done));
            else writer.WriteNull("completionSeconds");
            writer.WriteNumber("uploadedBytes", node.ChunkBytesUploaded);
            writer.WriteNumber("uploadShare", Round((double)node.ChunkBytesUploaded / settings.StateBytes));
            writer.WriteNumber("downloadedBytes", node.ChunkBytesDownloaded);
            writer.WriteNumber("duplicateBytes", node.DuplicateBytes);
            writer.WriteBoolean("churned", node.WentOffline);
            writer.WriteNumber("sessions", node.Sessions);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The mode's name on the command line and in JSON.</summary>
    public static string ModeName(SimulationMode mode) => mode == SimulationMode.ClientServer ? "client-server" : "swarm";

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, Round(value));
        else writer.WriteNull(name);
    }

    private static double Round(double value) => Math.Round(value, 4);
}
