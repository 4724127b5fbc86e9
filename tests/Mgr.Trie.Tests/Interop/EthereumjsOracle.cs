using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mgr.Trie.Tests.Interop;

/// <summary>Asks @ethereumjs (tests/interop/ethereumjs/oracle.mjs under Node 22) a batch of questions in one
/// process; see the script's header for the ops. Fails loudly, with the install command, when the npm
/// packages are missing.</summary>
public static class EthereumjsOracle
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the oracle over <paramref name="requests"/> and returns one response per request.</summary>
    public static IReadOnlyList<JsonElement> Ask(IReadOnlyList<JsonObject> requests)
    {
        string interop = InteropDirectory();
        string node = Path.Combine(interop, "node_modules", ".bin", "node");
        string script = Path.Combine(interop, "ethereumjs", "oracle.mjs");
        string mpt = Path.Combine(interop, "node_modules", "@ethereumjs", "mpt", "package.json");
        if (!File.Exists(node) || !File.Exists(mpt))
        {
            throw new InvalidOperationException(
                $"The interop npm packages are not installed ({node} or {mpt} missing). Install them with: scripts/test.sh, or: cd tests/interop && npm install");
        }

        var input = new JsonObject { ["requests"] = new JsonArray([.. requests.Select(r => (JsonNode)r)]) };
        var start = new ProcessStartInfo(node, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = interop,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"oracle.mjs did not finish within {Timeout}.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"oracle.mjs exited with {process.ExitCode}: {stderr.Result}");

        using JsonDocument output = JsonDocument.Parse(stdout.Result);
        JsonElement[] responses = [.. output.RootElement.GetProperty("responses").EnumerateArray().Select(r => r.Clone())];
        if (responses.Length != requests.Count) throw new InvalidOperationException($"oracle.mjs answered {responses.Length} of {requests.Count} requests.");
        return responses;
    }

    /// <summary>Lower-case 0x-hex, as the oracle expects byte strings.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static string InteropDirectory([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MgrSync.sln"))) return Path.Combine(dir.FullName, "tests", "interop");
            }
        }
        throw new DirectoryNotFoundException("No MgrSync.sln above the test binary or its source; cannot find tests/interop.");
    }
}
