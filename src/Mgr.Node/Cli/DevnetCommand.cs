using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Mgr.Node.Devnet;
using Mgr.Node.EngineApi;
using Mgr.Node.Logging;
using Mgr.Node.State;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Microsoft.Extensions.Logging;

namespace Mgr.Node.Cli;

/// <summary><c>mgr devnet generate|produce|follow|preverified</c>: a deterministic local chain with real state roots,
/// a real-time producer that drives nodes over the Engine API, and a follower that keeps a seeder's store at the head
/// (spec/devnet.md, spec/cli.md).</summary>
internal static class DevnetCommand
{
    /// <summary>Exit code when a data directory or store cannot be used (exists already, corrupt, locked, I/O).</summary>
    public const int DataDirFailureExitCode = 1;

    public static Command Create()
    {
        var command = new Command("devnet", "Generate, extend and follow a local devnet chain.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(Produce());
        command.Subcommands.Add(Follow());
        command.Subcommands.Add(Preverified());
        return command;
    }

    private static Option<string> DataDir(string description) => new("--datadir") { Description = description, Required = true };

    private static Command Generate()
    {
        var dataDir = DataDir("Empty directory to write the devnet into.");
        var accounts = new Option<long>("--accounts") { Description = "Externally owned accounts at genesis.", Required = true };
        var contracts = new Option<long>("--contracts") { Description = "Contracts (code + storage) at genesis.", Required = true };
        var maxSlots = new Option<long>("--max-slots") { Description = "Storage slots of the largest contract (the rest: a long tail).", Required = true };
        var blocks = new Option<int>("--blocks") { Description = "Blocks to generate after genesis.", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every derived value.", Required = true };
        var epoch = new Option<ulong>("--epoch-length") { Description = "MGR epoch length in blocks.", DefaultValueFactory = _ => 32 };
        var chainId = new Option<ulong>("--chain-id") { Description = "Chain id.", DefaultValueFactory = _ => 1337 };
        var seconds = new Option<ulong>("--seconds-per-block") { Description = "Slot time in seconds.", DefaultValueFactory = _ => 12 };
        var command = new Command("generate", CommandHelp.Describe("Write a deterministic devnet: genesis.json, chain log, preverified hashes and a node store at the head.", "mgr devnet generate --datadir /tmp/dn --accounts 50000 --contracts 6 --max-slots 12000 --blocks 16 --seed 1"))
        {
            dataDir, accounts, contracts, maxSlots, blocks, seed, epoch, chainId, seconds,
        };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            DevnetParameters parameters;
            int blockCount = parseResult.GetValue(blocks);
            try
            {
                parameters = new DevnetParameters
                {
                    Accounts = parseResult.GetValue(accounts), Contracts = parseResult.GetValue(contracts), MaxSlots = parseResult.GetValue(maxSlots),
                    Seed = parseResult.GetValue(seed), EpochLength = parseResult.GetValue(epoch), ChainId = parseResult.GetValue(chainId),
                    SecondsPerBlock = parseResult.GetValue(seconds),
                };
                parameters.Validate();
                if (blockCount < 0) throw new ArgumentException("--blocks must not be negative.");
            }
            catch (ArgumentException e)
            {
                throw new CliInputException(e.Message, e);
            }
            return WithDataDir(parseResult, () =>
            {
                DevnetSummary summary = DevnetGeneration.Run(new DevnetDirectory(parseResult.GetValue(dataDir)!), parameters, blockCount);
                output.WriteLine(Json(json =>
                {
                    json.WriteString("genesisHash", summary.GenesisHash.ToString());
                    json.WriteString("stateRoot", summary.StateRoot.ToString());
                    json.WriteNumber("headNumber", summary.HeadNumber);
                    json.WriteString("headHash", summary.HeadHash.ToString());
                    json.WriteString("headStateRoot", summary.HeadStateRoot.ToString());
                    json.WriteNumber("accounts", summary.Accounts);
                    json.WriteNumber("stateBytes", summary.StateBytes);
                }));
            });
        }));
        return command;
    }

    private static Command Produce()
    {
        var dataDir = DataDir("The devnet directory (its db is opened by this process).");
        var seconds = new Option<double?>("--seconds-per-block") { Description = "Slot time in seconds (default: the devnet's)." };
        var lag = new Option<ulong>("--finality-lag") { Description = "Blocks between head and finalized.", DefaultValueFactory = _ => 8 };
        var engines = new Option<string[]>("--engine") { Description = "Engine API endpoint of a node to drive, e.g. http://127.0.0.1:8551 (repeatable)." };
        var jwt = new Option<string?>("--jwt-secret") { Description = "File with the 32-byte hex JWT secret shared with the engines." };
        var blocks = new Option<long?>("--blocks") { Description = "Stop after this many blocks (default: until SIGINT/SIGTERM)." };
        var command = new Command("produce", CommandHelp.Describe("Extend the devnet in real time and announce each block to nodes over the Engine API.", "mgr devnet produce --datadir /tmp/dn --jwt-secret /tmp/jwt.hex --engine http://127.0.0.1:8551 --seconds-per-block 2 --finality-lag 2"))
        {
            dataDir, seconds, lag, engines, jwt, blocks,
        };
        command.SetAction((parseResult, cancellation) => RunProducerAsync(parseResult, parseResult.GetValue(dataDir)!, parseResult.GetValue(seconds),
            parseResult.GetValue(lag), parseResult.GetValue(engines) ?? [], parseResult.GetValue(jwt), parseResult.GetValue(blocks), cancellation));
        return command;
    }

    private static Command Follow()
    {
        var dataDir = DataDir("The devnet directory to follow (read only).");
        var nodeDir = new Option<string>("--node-datadir") { Description = "The following node's own data directory (its store is <dir>/db).", Required = true };
        var once = new Option<bool>("--once") { Description = "Apply what the chain log holds now, then exit." };
        var poll = new Option<double>("--poll-seconds") { Description = "How often to look for new blocks.", DefaultValueFactory = _ => 0.5 };
        var command = new Command("follow", CommandHelp.Describe("Keep a node's store at the devnet's head: regenerate genesis, replay and tail the chain log (roots verified).", "mgr devnet follow --datadir /tmp/dn --node-datadir /tmp/full --once"))
        {
            dataDir, nodeDir, once, poll,
        };
        command.SetAction((parseResult, cancellation) => RunFollowerAsync(parseResult, parseResult.GetValue(dataDir)!, parseResult.GetValue(nodeDir)!,
            parseResult.GetValue(once), parseResult.GetValue(poll), cancellation));
        return command;
    }

    private static Command Preverified()
    {
        var dataDir = DataDir("A data directory whose db holds the canonical chain.");
        var output = new Option<string?>("--out") { Description = "File to write (default: <datadir>/preverified-hashes.txt)." };
        var command = new Command("preverified", CommandHelp.Describe("Regenerate the preverified-hashes file (a hash every 192 blocks) from a synced store.", "mgr devnet preverified --datadir /tmp/dn --out /tmp/dn/preverified-hashes.txt")) { dataDir, output };
        command.SetAction(parseResult => CliInput.Run(parseResult, stdout => WithDataDir(parseResult, () =>
        {
            var directory = new DevnetDirectory(parseResult.GetValue(dataDir)!);
            string path = parseResult.GetValue(output) ?? directory.PreverifiedHashesPath;
            using RocksDbStore store = OpenExisting(directory.StorePath);
            ulong head = StoredChain.ReadHead(store).Number;
            DevnetGeneration.WritePreverifiedHashes(store, head, path);
            stdout.WriteLine(Json(json =>
            {
                json.WriteString("path", path);
                json.WriteNumber("headNumber", head);
                json.WriteNumber("entries", head / (ulong)Mgr.Node.Headers.PreverifiedHashes.Interval + 1);
            }));
        })));
        return command;
    }

    private static async Task<int> RunProducerAsync(ParseResult parseResult, string dataDir, double? seconds, ulong lag, string[] engineTexts,
        string? jwtPath, long? blocks, CancellationToken cancellation)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        var endpoints = new List<Uri>();
        foreach (string text in engineTexts)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
                return Fail(error, "produce", $"invalid --engine '{text}': expected http://host:port", CliInput.InvalidInputExitCode);
            endpoints.Add(uri);
        }
        if (seconds is <= 0 or > 3600) return Fail(error, "produce", "--seconds-per-block must be in (0, 3600]", CliInput.InvalidInputExitCode);
        if (blocks is < 0) return Fail(error, "produce", "--blocks must not be negative", CliInput.InvalidInputExitCode);
        if (endpoints.Count > 0 && jwtPath is null) return Fail(error, "produce", "--jwt-secret is required with --engine", CliInput.InvalidInputExitCode);
        JwtSecret? secret = null;
        if (jwtPath is not null)
        {
            try
            {
                secret = JwtSecret.Load(jwtPath);
            }
            catch (JwtSecretException e)
            {
                return Fail(error, "produce", e.Message, CliInput.InvalidInputExitCode);
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using ILoggerFactory logging = NodeLogging.Create(LogLevel.Information, LogFormat.Text);
        var clients = endpoints.Select(uri => new EngineApiClient(uri, new JwtIssuer(secret!, TimeProvider.System))).ToList();
        try
        {
            var directory = new DevnetDirectory(dataDir);
            using RocksDbStore store = OpenExisting(directory.StorePath);
            DevnetParameters parameters = DevnetParameters.Load(directory.ParametersPath);
            var options = new DevnetProducerOptions
            {
                BlockInterval = TimeSpan.FromSeconds(seconds ?? parameters.SecondsPerBlock),
                FinalityLag = lag,
            };
            using DevnetProducer producer = DevnetProducer.Open(directory, store, clients, options, TimeProvider.System, logging.CreateLogger("mgr.devnet"));
            await producer.RunAsync(blocks, step =>
            {
                output.WriteLine(Json(json =>
                {
                    json.WriteNumber("number", step.Block.Header.Number);
                    json.WriteString("hash", step.Block.Header.Hash.ToString());
                    json.WriteString("stateRoot", step.Block.Header.StateRoot.ToString());
                    json.WriteNumber("safe", step.SafeNumber);
                    json.WriteNumber("finalized", step.FinalizedNumber);
                    json.WriteStartArray("engines");
                    foreach (string result in step.EngineResults) json.WriteStringValue(result);
                    json.WriteEndArray();
                }));
                output.Flush();
            }, stop.Token).ConfigureAwait(false);
            store.Flush();
            return CliInput.SuccessExitCode;
        }
        catch (Exception e) when (e is DevnetException or StorageException or StateApplyException or IOException or UnauthorizedAccessException)
        {
            return Fail(error, "produce", e.Message, DataDirFailureExitCode);
        }
        finally
        {
            foreach (EngineApiClient client in clients) client.Dispose();
        }
    }

    private static async Task<int> RunFollowerAsync(ParseResult parseResult, string dataDir, string nodeDir, bool once, double pollSeconds,
        CancellationToken cancellation)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        if (pollSeconds is <= 0 or > 3600) return Fail(error, "follow", "--poll-seconds must be in (0, 3600]", CliInput.InvalidInputExitCode);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        try
        {
            Directory.CreateDirectory(nodeDir);
            using RocksDbStore store = RocksDbStore.Open(Path.Combine(nodeDir, "db"));
            using DevnetFollower follower = DevnetFollower.Open(new DevnetDirectory(dataDir), store, Path.Combine(nodeDir, "tmp"));
            void Report(Mgr.Trie.Headers.BlockHeader head)
            {
                output.WriteLine(Json(json =>
                {
                    json.WriteNumber("headNumber", head.Number);
                    json.WriteString("headHash", head.Hash.ToString());
                    json.WriteString("headStateRoot", head.StateRoot.ToString());
                }));
                output.Flush();
            }
            follower.CatchUp();
            Report(follower.Head);
            if (!once) await follower.FollowAsync(TimeSpan.FromSeconds(pollSeconds), Report, stop.Token).ConfigureAwait(false);
            store.Flush();
            return CliInput.SuccessExitCode;
        }
        catch (Exception e) when (e is DevnetException or StorageException or StateApplyException or IOException or UnauthorizedAccessException)
        {
            return Fail(error, "follow", e.Message, DataDirFailureExitCode);
        }
    }

    private static int WithDataDir(ParseResult parseResult, Action body)
    {
        try
        {
            body();
            return CliInput.SuccessExitCode;
        }
        catch (Exception e) when (e is DevnetException or StorageException or StateApplyException or IOException or UnauthorizedAccessException)
        {
            return Fail(parseResult.InvocationConfiguration.Error, parseResult.CommandResult.Command.Name, e.Message, DataDirFailureExitCode);
        }
    }

    // A store that must exist already (RocksDbStore.Open would create an empty one).
    private static RocksDbStore OpenExisting(string path)
    {
        if (!Directory.Exists(path)) throw new DevnetException($"No node store at {path}.");
        return RocksDbStore.Open(path);
    }

    private static int Fail(TextWriter error, string command, string message, int exitCode)
    {
        error.WriteLine($"mgr devnet {command}: {message.ReplaceLineEndings(" ")}");
        return exitCode;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
