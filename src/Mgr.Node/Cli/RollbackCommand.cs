using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mgr.Node.Follow;
using Mgr.Node.Storage;
using Mgr.Node.Storage.RocksDb;

namespace Mgr.Node.Cli;

/// <summary><c>mgr rollback --datadir &lt;dir&gt; --to &lt;number&gt;</c>: rolls a stopped node's persistent state back to an
/// earlier canonical block with its kept backward diffs, verified against that block's header, and prints the result as
/// one JSON line (contract in spec/cli.md).</summary>
internal static class RollbackCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--datadir") { Description = "Node data directory (its store is <dir>/db).", Required = true };
        var to = new Option<ulong>("--to") { Description = "Block number to roll the state back to.", Required = true };
        var command = new Command("rollback", CommandHelp.Describe($"Roll the persistent state back up to {StateHistory.BackwardWindowBlocks:N0} blocks (node stopped).",
            "mgr rollback --datadir /var/lib/mgr --to 1200")) { dataDir, to };
        command.SetAction(parseResult => CliInput.Run(parseResult, output =>
        {
            string directory = parseResult.GetValue(dataDir)!;
            string storePath = InitCommand.StorePath(directory);
            if (!Directory.Exists(storePath)) throw new CliInputException($"{directory}: no node store (expected {storePath})");
            TextWriter error = parseResult.InvocationConfiguration.Error;
            try
            {
                using RocksDbStore store = RocksDbStore.Open(storePath);
                var clock = Stopwatch.StartNew();
                RollbackResult result = StateRollback.Run(store, parseResult.GetValue(to));
                store.Flush();
                if (!result.Verified)
                {
                    error.WriteLine($"mgr rollback: {directory}: the state reached block {result.To} with root {result.StateRoot}, which is not the canonical header's");
                    return ExitCodes.Failure;
                }
                output.WriteLine(Json(result, clock.Elapsed));
                return ExitCodes.Ok;
            }
            catch (RollbackException e) when (e.IsBadInput)
            {
                throw new CliInputException($"{directory}: {e.Message}", e);
            }
            catch (Exception e) when (e is RollbackException or StorageException or SchemaVersionException or Devnet.DevnetException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"mgr rollback: {directory}: {e.Message.ReplaceLineEndings(" ")}");
                return ExitCodes.Failure;
            }
        }));
        return command;
    }

    /// <summary>The JSON line printed for <paramref name="result"/>.</summary>
    public static string Json(RollbackResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("from", result.From);
            json.WriteString("fromHash", result.FromHash.ToString());
            json.WriteNumber("to", result.To);
            json.WriteString("toHash", result.ToHash.ToString());
            json.WriteString("stateRoot", result.StateRoot.ToString());
            json.WriteNumber("blocks", result.Blocks);
            json.WriteBoolean("verified", result.Verified);
            json.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 3));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
