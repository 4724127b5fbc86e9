using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mgr.Protocol.Tests.Messages;

/// <summary>Reads the golden vector files under spec/vectors. Setting MGR_WRITE_VECTORS=1 rewrites a file from the
/// current encoder before it is read (then review the diff): tests never write otherwise.</summary>
internal static class VectorFiles
{
    public static string Root([CallerFilePath] string source = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "spec", "mgr-protocol.md"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Repository root (spec/mgr-protocol.md) not found above " + source);
        return Path.Combine(directory.FullName, "spec", "vectors");
    }

    public static bool Rewriting => Environment.GetEnvironmentVariable("MGR_WRITE_VECTORS") == "1";

    /// <summary>Loads <paramref name="relativePath"/>, first writing <paramref name="current"/> there when rewriting.</summary>
    public static JsonNode Load(string relativePath, Func<JsonNode> current)
    {
        string path = Path.Combine(Root(), relativePath);
        if (Rewriting)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, current().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
