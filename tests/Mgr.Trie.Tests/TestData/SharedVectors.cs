using System.Runtime.CompilerServices;

namespace Mgr.Trie.Tests.TestData;

/// <summary>Finds the read-only test vectors in <c>../shared/vectors</c> next to the repository.</summary>
public static class SharedVectors
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The absolute path of <c>shared/vectors</c>.</summary>
    public static string Directory => Root.Value;

    /// <summary>The absolute path of a file or folder under <c>shared/vectors</c>, e.g. <c>Path("keccak", "ShortMsgKAT_256.txt")</c>.</summary>
    /// <exception cref="FileNotFoundException">When it does not exist (the vectors are required, never skipped).</exception>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Directory, .. parts]);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path)) throw new FileNotFoundException($"Shared test vector missing: {path}", path);
        return path;
    }

    // Walks up to the folder holding MgrSync.sln, then goes to ../shared/vectors. Starts from the test
    // binary; when that lives outside the checkout (dotnet test --artifacts-path), from this source file.
    private static string FindRoot() =>
        FindFrom(AppContext.BaseDirectory) ?? FindFrom(SourceDirectory())
        ?? throw new DirectoryNotFoundException($"No MgrSync.sln above {AppContext.BaseDirectory} or {SourceDirectory()}; cannot locate ../shared/vectors.");

    private static string? FindFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(dir.FullName, "MgrSync.sln"))) continue;
            string vectors = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "vectors"));
            if (!System.IO.Directory.Exists(vectors)) throw new DirectoryNotFoundException($"Found {dir.FullName}/MgrSync.sln but no {vectors}.");
            return vectors;
        }
        return null;
    }

    private static string SourceDirectory([CallerFilePath] string sourceFile = "") => System.IO.Path.GetDirectoryName(sourceFile) ?? ".";
}
