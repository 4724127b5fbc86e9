using System.Runtime.CompilerServices;

namespace Mgr.Trie.Tests.Genesis;

/// <summary>The genesis.json fixtures kept next to these tests (read from the source tree).</summary>
public static class GenesisFixtures
{
    public static readonly string[] Names = ["frontier", "london", "shanghai", "cancun-blob-fields", "prague-devnet"];

    public static string Path(string name) => System.IO.Path.Combine(Directory(), "Fixtures", name + ".json");

    public static byte[] Read(string name) => File.ReadAllBytes(Path(name));

    private static string Directory([CallerFilePath] string sourceFile = "") =>
        System.IO.Path.GetDirectoryName(sourceFile) ?? throw new InvalidOperationException("No source path for the fixtures.");
}
