using System.Runtime.CompilerServices;

namespace Mgr.Protocol.Tests.Interop;

/// <summary>Where the interop tooling lives: fails loudly (never skips) when <c>tests/interop/node_modules</c> is missing.</summary>
public sealed record InteropPaths(string InteropDirectory, string Node)
{
    /// <summary>Finds tests/interop above the test binaries, the working directory or this source file.</summary>
    public static InteropPaths Require([CallerFilePath] string sourceFile = "")
    {
        string[] anchors = [AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(sourceFile) ?? ""];
        foreach (string anchor in anchors)
        {
            for (var directory = new DirectoryInfo(anchor); directory is not null; directory = directory.Parent)
            {
                string interop = Path.Combine(directory.FullName, "tests", "interop");
                if (!File.Exists(Path.Combine(interop, "package.json"))) continue;
                string node = Path.Combine(interop, "node_modules", ".bin", "node");
                string libp2p = Path.Combine(interop, "node_modules", "libp2p", "package.json");
                if (!File.Exists(node) || !File.Exists(libp2p))
                {
                    throw new InvalidOperationException(
                        $"Interop dependencies are missing: {node} or {libp2p} not found. Run scripts/test.sh (or `npm ci` in {interop}) to install them.");
                }
                return new InteropPaths(interop, node);
            }
        }
        throw new InvalidOperationException($"tests/interop/package.json not found above {string.Join(" or ", anchors)}.");
    }
}
