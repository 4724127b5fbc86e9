using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mgr.Trie.Building;
using Mgr.Trie.Primitives;
using Mgr.Trie.Storage;
using Mgr.Trie.Tries;

namespace Mgr.Bench.Trie;

/// <summary>The root of the same 1,000,000 random leaves (32-byte keys, 70-byte values, ascending) built by
/// @ethereumjs/mpt (a put loop, Node 22; the Baseline) and by us: the stack builder (our sync path) and our
/// PatriciaTrie inserts (the like-for-like structure). Ratio = our time / ethereumjs's time.</summary>
/// <remarks>Leaves from <see cref="TrieBenchLeaves"/> (as the stack builder's own benchmark). One iteration
/// each (ethereumjs needs minutes for a million puts); set MGR_BENCH_LEAVES for a smaller run. The ethereumjs run includes starting Node and reading the leaf file (under a second); it
/// fails if its root differs from ours. Node runs at this process's priority (BenchmarkDotNet raises it). No MemoryDiagnoser: it would run every benchmark a second time (another 9 minutes of ethereumjs); StackTrieBuilderBenchmarks reports the builder's allocations. Needs tests/interop/node_modules (scripts/test.sh installs it).</remarks>
[Config(typeof(MacroConfig))]
public class EthereumjsComparison
{
    private TrieLeaf[] _leaves = [];
    private string _leafFile = "";
    private Hash256 _expectedRoot;

    [GlobalSetup]
    public void Setup()
    {
        _leaves = TrieBenchLeaves.Generate(TrieBenchLeaves.Count(1_000_000));
        _leafFile = Path.Combine(Path.GetTempPath(), $"mgr-bench-leaves-{Environment.ProcessId}.bin");
        using (var file = new BufferedStream(File.Create(_leafFile), 1 << 20))
        {
            Span<byte> key = stackalloc byte[32];
            foreach (TrieLeaf leaf in _leaves)
            {
                leaf.Key.CopyTo(key);
                file.Write(key);
                file.WriteByte((byte)leaf.Value.Length);
                file.Write(leaf.Value.Span);
            }
        }
        _expectedRoot = StackBuilder();
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_leafFile);

    [Benchmark(Baseline = true)]
    public Hash256 EthereumjsMptPuts()
    {
        (string node, string script) = NodeAndScript();
        var start = new ProcessStartInfo(node, [script, _leafFile]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {node}.");
        // BenchmarkDotNet raises this process's priority while it measures: give the reference the same footing.
        process.PriorityClass = Process.GetCurrentProcess().PriorityClass;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"bench-root.mjs failed: {error.Result}");
        using JsonDocument json = JsonDocument.Parse(output);
        var root = Hash256.Parse(json.RootElement.GetProperty("root").GetString()!);
        if (root != _expectedRoot) throw new InvalidOperationException($"ethereumjs root {root} differs from ours {_expectedRoot}.");
        Console.WriteLine($"// ethereumjs put loop alone: {json.RootElement.GetProperty("insertMilliseconds").GetDouble():F0} ms for {_leaves.Length} leaves");
        return root;
    }

    [Benchmark]
    public Hash256 StackBuilder()
    {
        var builder = new StackTrieBuilder();
        foreach (TrieLeaf leaf in _leaves) builder.Add(leaf.Key, leaf.Value.Span);
        return builder.Finish();
    }

    [Benchmark]
    public Hash256 PatriciaTrieInserts()
    {
        var trie = new PatriciaTrie(new MemoryNodeStore());
        Span<byte> key = stackalloc byte[32];
        foreach (TrieLeaf leaf in _leaves)
        {
            leaf.Key.CopyTo(key);
            trie.Set(key, leaf.Value.Span);
        }
        return trie.RootHash;
    }

    private static (string Node, string Script) NodeAndScript([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile) ?? "."); dir is not null; dir = dir.Parent)
        {
            string interop = Path.Combine(dir.FullName, "tests", "interop");
            if (!File.Exists(Path.Combine(dir.FullName, "MgrSync.sln"))) continue;
            string node = Path.Combine(interop, "node_modules", ".bin", "node");
            if (!File.Exists(node)) throw new InvalidOperationException($"{node} is missing: run scripts/test.sh or (cd tests/interop && npm install).");
            return (node, Path.Combine(interop, "ethereumjs", "bench-root.mjs"));
        }
        throw new DirectoryNotFoundException("No MgrSync.sln above the benchmark source.");
    }

    private sealed class MacroConfig() : InProcessMacroConfig(warmupCount: 0, iterationCount: 1);
}
