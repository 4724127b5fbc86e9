using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mgr.Node.Simulation;

namespace Mgr.Node.Cli;

/// <summary><c>mgr sim</c>: runs the real swarm engine of every node over a simulated network in virtual time and
/// reports completion times against the lower bound, seeder egress, duplicates and upload shares (spec/simulator.md,
/// spec/cli.md "mgr sim").</summary>
/// <remarks>Exit codes: 0 the run(s) finished (even if some leecher did not complete: see <c>completed</c>); 2 bad
/// options, one line on stderr. Wall time and memory go to stderr, so stdout is deterministic for a given seed.</remarks>
internal static class SimCommand
{
    private const double BytesPerMegabit = 1_000_000 / 8.0;

    // How often a running simulation reports its progress on stderr, in wall time.
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Nodes in total, seeders included.", DefaultValueFactory = _ => 10 };
        var sweep = new Option<string?>("--sweep") { Description = "Comma-separated node counts to run one after another (overrides --nodes), e.g. 10,100,1000." };
        var seeders = new Option<int>("--seeders") { Description = "Seeders among the nodes.", DefaultValueFactory = _ => 1 };
        var stateMb = new Option<double>("--state-mb") { Description = "State size F on the wire, in megabytes (10^6 bytes).", DefaultValueFactory = _ => 64 };
        var upload = new Option<double>("--upload-mbps") { Description = "Upload capacity of each leecher, megabits per second.", DefaultValueFactory = _ => 100 };
        var seederUpload = new Option<double?>("--seeder-upload-mbps") { Description = "Upload capacity of each seeder (default: --upload-mbps)." };
        var download = new Option<double>("--download-mbps") { Description = "Download capacity of each leecher, megabits per second (0 = unlimited).", DefaultValueFactory = _ => 400 };
        var latency = new Option<double>("--latency-ms") { Description = "One-way latency of every session, milliseconds.", DefaultValueFactory = _ => 20 };
        var churn = new Option<double>("--churn") { Description = "Fraction of leechers that leave once and rejoin (0–1).", DefaultValueFactory = _ => 0 };
        var mode = new Option<string>("--mode") { Description = "swarm or client-server.", DefaultValueFactory = _ => "swarm" };
        var seed = new Option<int>("--seed") { Description = "Seed of the state, topology and churn.", DefaultValueFactory = _ => 1 };
        var degree = new Option<int>("--degree") { Description = "Sessions each node opens to random others (swarm mode).", DefaultValueFactory = _ => 8 };
        var targetPeers = new Option<int>("--target-peers") { Description = "Sessions a leecher tops up to by dialing more leechers, as mgr node does (swarm mode; 0: none).", DefaultValueFactory = _ => 16 };
        var accounts = new Option<int>("--accounts") { Description = "Real accounts in the simulated state (8,193+ gives 16 account chunks).", DefaultValueFactory = _ => 8_200 };
        var contracts = new Option<int>("--contracts") { Description = "Real accounts with external storage (one more chunk each).", DefaultValueFactory = _ => 0 };
        var chunkKb = new Option<double>("--chunk-kb") { Description = "Wire size of a scaled chunk, kilobytes (10^3 bytes; the depth rule's leaf target scales with it); 0 = the protocol's own target.", DefaultValueFactory = _ => 256 };
        var tick = new Option<double>("--tick-ms") { Description = "Engine tick interval, milliseconds.", DefaultValueFactory = _ => 25 };
        var engineDefaults = new Option<bool>("--engine-defaults") { Description = "Run the engine with its own defaults (as mgr node does) instead of the simulator's profile (spec/simulator.md)." };
        var forwardFanOut = new Option<int?>("--forward-fan-out") { Description = "Engine: peers a leecher forwards a first-hand chunk to." };
        var pushFanOut = new Option<int?>("--push-fan-out") { Description = "Engine: peers a seeder pushes each ride chunk to." };
        var pullLag = new Option<int?>("--pull-lag") { Description = "Engine: ride steps after which a missing chunk is pulled." };
        var pullsPerPeer = new Option<int?>("--max-pulls-per-peer") { Description = "Engine: pull requests outstanding towards one peer." };
        var pullsInFlight = new Option<int?>("--max-pulls-in-flight") { Description = "Engine: pull requests a leecher keeps outstanding in total." };
        var timeout = new Option<double?>("--request-timeout-s") { Description = "Engine: seconds before an unanswered request is retried elsewhere." };
        var limit = new Option<double?>("--limit-s") { Description = "Virtual seconds after which a run stops (default: 20 bounds + 60)." };
        var json = new Option<bool>("--json") { Description = "Print JSON (an array when --sweep is given)." };
        var svg = new Option<string?>("--svg") { Description = "Write coverage-over-time and completion-vs-N plots to this SVG file." };
        var command = new Command("sim", CommandHelp.Describe("Simulate N nodes syncing F bytes with the real swarm engine over a modelled network; compare with the lower bound.", "mgr sim --nodes 100 --state-mb 64 --upload-mbps 100", "mgr sim --sweep 10,100,1000 --mode client-server --json --svg cs.svg"))
        {
            nodes, sweep, seeders, stateMb, upload, seederUpload, download, latency, churn, mode, seed, degree, targetPeers, accounts, contracts, chunkKb, tick, engineDefaults, forwardFanOut, pushFanOut, pullLag, pullsPerPeer, pullsInFlight, timeout, limit, json, svg,
        };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            SimulationMode simulationMode = parseResult.GetValue(mode) switch
            {
                "swarm" => SimulationMode.Swarm,
                "client-server" => SimulationMode.ClientServer,
                string other => throw new CliInputException($"--mode: '{other}' is neither swarm nor client-server"),
                null => SimulationMode.Swarm,
            };
            double peerUpload = Positive(parseResult.GetValue(upload), "--upload-mbps");
            double seederUploadMbps = Positive(parseResult.GetValue(seederUpload) ?? peerUpload, "--seeder-upload-mbps");
            TimeSpan tickInterval = TimeSpan.FromMilliseconds(Positive(parseResult.GetValue(tick), "--tick-ms"));
            var settings = new SimulationSettings
            {
                Nodes = parseResult.GetValue(nodes),
                Seeders = parseResult.GetValue(seeders),
                StateBytes = (long)(Positive(parseResult.GetValue(stateMb), "--state-mb") * 1_000_000),
                PeerUploadBytesPerSecond = (long)(peerUpload * BytesPerMegabit),
                SeederUploadBytesPerSecond = (long)(seederUploadMbps * BytesPerMegabit),
                PeerDownloadBytesPerSecond = (long)(NonNegative(parseResult.GetValue(download), "--download-mbps") * BytesPerMegabit),
                Latency = TimeSpan.FromMilliseconds(NonNegative(parseResult.GetValue(latency), "--latency-ms")),
                Churn = parseResult.GetValue(churn),
                Mode = simulationMode,
                TimeLimit = parseResult.GetValue(limit) is { } limitSeconds ? TimeSpan.FromSeconds(Positive(limitSeconds, "--limit-s")) : null,
                Seed = parseResult.GetValue(seed),
                Degree = parseResult.GetValue(degree),
                TargetPeers = parseResult.GetValue(targetPeers),
                Accounts = parseResult.GetValue(accounts),
                Contracts = parseResult.GetValue(contracts),
                ChunkBytes = (long)Math.Round(NonNegative(parseResult.GetValue(chunkKb), "--chunk-kb") * 1000),
                TickInterval = tickInterval,
            };
            Mgr.Node.Swarm.SwarmOptions engine;
            try
            {
                engine = parseResult.GetValue(engineDefaults)
                    ? new Mgr.Node.Swarm.SwarmOptions()
                    : SimulationProfile.Engine(tickInterval, (long)(Math.Max(peerUpload, seederUploadMbps) * BytesPerMegabit), settings.ExpectedChunkBytes());
            }
            catch (ArgumentException invalid)
            {
                throw new CliInputException(invalid.Message, invalid);
            }
            if (parseResult.GetValue(forwardFanOut) is { } forward) engine = engine with { ForwardFanOut = Math.Max(0, forward) };
            if (parseResult.GetValue(pushFanOut) is { } push) engine = engine with { PushFanOut = Math.Max(0, push) };
            if (parseResult.GetValue(pullLag) is { } lag) engine = engine with { PullLagChunks = Math.Max(0, lag) };
            if (parseResult.GetValue(pullsPerPeer) is { } pulls) engine = engine with { MaxPullsPerPeer = Math.Max(1, pulls) };
            if (parseResult.GetValue(pullsInFlight) is { } inFlight) engine = engine with { MaxPullsInFlight = Math.Max(1, inFlight) };
            if (parseResult.GetValue(timeout) is { } seconds) engine = engine with { RequestTimeout = TimeSpan.FromSeconds(Positive(seconds, "--request-timeout-s")) };
            settings = settings with { Engine = engine };
            int[] counts = parseResult.GetValue(sweep) is { } list ? ParseSweep(list) : [settings.Nodes];
            var results = new List<SimulationResult>();
            foreach (int count in counts)
            {
                SimulationSettings run = settings with { Nodes = count };
                try
                {
                    run.Validate();
                }
                catch (ArgumentException invalid)
                {
                    throw new CliInputException(invalid.Message, invalid);
                }
                var watch = Stopwatch.StartNew();
                TimeSpan reported = TimeSpan.Zero;
                SimulationResult result = SwarmSimulation.Run(run, progress =>
                {
                    // A long run says where it is every ProgressEvery of wall time; a short one prints only its summary.
                    if (watch.Elapsed - reported < ProgressEvery) return;
                    reported = watch.Elapsed;
                    parseResult.InvocationConfiguration.Error.WriteLine(ProgressLine(count, progress, watch.Elapsed));
                });
                parseResult.InvocationConfiguration.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"mgr sim: {count} nodes, {result.EventsProcessed} events in {watch.Elapsed.TotalSeconds:F1} s wall, {GC.GetTotalMemory(false) / 1e6:F0} MB managed heap, {Environment.WorkingSet / 1e6:F0} MB working set"));
                results.Add(result);
            }
            if (parseResult.GetValue(svg) is { } svgPath) WriteSvg(svgPath, results);
            if (parseResult.GetValue(json)) WriteJson(output, results, array: counts.Length > 1 || parseResult.GetValue(sweep) is not null);
            else WriteTable(output, results);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One progress line: virtual time against the mode's bound, leechers synced, mean coverage, events and
    /// wall time so far.</summary>
    internal static string ProgressLine(int nodes, SimulationProgress progress, TimeSpan wall) => string.Create(CultureInfo.InvariantCulture,
        $"mgr sim: {nodes} nodes, {progress.VirtualSeconds:F1} s virtual (bound {progress.BoundSeconds:F1} s), {progress.Synced}/{progress.Leechers} synced, mean coverage {progress.MeanCoverage * 100:F1}%, {progress.Events} events, {wall.TotalSeconds:F0} s wall");

    private static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new CliInputException($"{name}: must be a positive number");

    private static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new CliInputException($"{name}: must be zero or a positive number");

    private static int[] ParseSweep(string list)
    {
        string[] parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 16) throw new CliInputException("--sweep: expected 1 to 16 comma-separated node counts");
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
                throw new CliInputException($"--sweep: '{parts[i]}' is not a node count");
        return counts;
    }

    private static void WriteSvg(string path, List<SimulationResult> results)
    {
        try
        {
            File.WriteAllText(path, SimulationSvg.Render(results));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--svg: {path}: {e.Message}", e);
        }
    }

    private static void WriteJson(TextWriter output, List<SimulationResult> results, bool array)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            if (array) writer.WriteStartArray();
            foreach (SimulationResult result in results) SimulationJson.Write(writer, result);
            if (array) writer.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTable(TextWriter output, List<SimulationResult> results)
    {
        output.WriteLine("mode           nodes  bound s  median s  max s  max/bound  egress/F  dup %  seeder share  completed");
        foreach (SimulationResult r in results)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{SimulationJson.ModeName(r.Settings.Mode),-13} {r.Settings.Nodes,6} {r.LowerBoundSeconds,8:F2} {r.MedianCompletionSeconds,9:F2} {r.MaxCompletionSeconds,6:F2} {r.MaxCompletionSeconds / r.LowerBoundSeconds,10:F2} {(double)r.SeederEgressBytes / r.Settings.StateBytes,9:F2} {r.DuplicateRatio * 100,6:F2} {r.SeederUploadShare,13:F3}  {(r.Completed ? "yes" : "no")}"));
        }
    }
}
