using System.CommandLine;
using System.Text;
using System.Text.Json;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;
using Mgr.Trie.Genesis;
using Mgr.Trie.Headers;

namespace Mgr.Node.Cli;

/// <summary><c>mgr init --genesis &lt;genesis.json&gt; [--datadir &lt;dir&gt;]</c>: computes the genesis state root
/// and block hash of a geth-style genesis file and prints <c>{"stateRoot","hash","number"}</c>; with
/// <c>--datadir</c> it also stores the genesis state and header (see spec/cli.md).</summary>
internal static class InitCommand
{
    /// <summary>Exit code when the data directory cannot be used: a storage error, or it holds another genesis.</summary>
    public const int DataDirFailureExitCode = 1;

    public static Command Create()
    {
        var genesis = new Option<string>("--genesis") { Description = "Path of a geth-style genesis.json.", Required = true };
        var dataDir = new Option<string?>("--datadir") { Description = "Node data directory to store the genesis state and header in." };
        var command = new Command("init", CommandHelp.Describe("Compute (and optionally store) the genesis block of a genesis.json.", "mgr init --genesis genesis.json", "mgr init --genesis genesis.json --datadir /var/lib/mgr")) { genesis, dataDir };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            GenesisSpec spec = GenesisReader.Parse(CliInput.ReadFile(parseResult.GetValue(genesis)!));
            string? directory = parseResult.GetValue(dataDir);
            if (directory is null)
            {
                output.WriteLine(Summary(GenesisBuilder.Build(spec)));
                return CliInput.SuccessExitCode;
            }
            return StoreInDataDir(directory, spec, output, parseResult.InvocationConfiguration.Error);
        }));
        return command;
    }

    /// <summary>The store of a data directory lives in its <c>db</c> folder.</summary>
    public static string StorePath(string dataDir) => Path.Combine(dataDir, "db");

    private static int StoreInDataDir(string directory, GenesisSpec spec, TextWriter output, TextWriter error)
    {
        GenesisStorage.Outcome outcome;
        try
        {
            Directory.CreateDirectory(directory);
            using RocksDbStore store = RocksDbStore.Open(StorePath(directory));
            outcome = GenesisStorage.Store(store, spec);
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"mgr init: {directory}: {e.Message.ReplaceLineEndings(" ")}");
            return DataDirFailureExitCode;
        }
        if (outcome.ConflictingGenesis is { } existing)
        {
            error.WriteLine($"mgr init: {directory} already holds genesis {existing}; refusing to store genesis {outcome.Header.Hash}");
            return DataDirFailureExitCode;
        }
        output.WriteLine(Summary(outcome.Header));
        return CliInput.SuccessExitCode;
    }

    private static string Summary(BlockHeader header)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("stateRoot", header.StateRoot.ToString());
            json.WriteString("hash", header.Hash.ToString());
            json.WriteNumber("number", header.Number);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
