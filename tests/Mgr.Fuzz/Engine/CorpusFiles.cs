namespace Mgr.Fuzz.Engine;

/// <summary>Reads and writes corpus and finding files: <c>.hex</c> files hold lowercase hex (whitespace ignored),
/// any other extension holds the raw bytes (JSON and text targets keep readable files).</summary>
internal static class CorpusFiles
{
    public static IEnumerable<byte[]> Load(string directory, string target)
    {
        string folder = Path.Combine(directory, target);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(Read).ToList();
    }

    public static byte[] Read(string path)
    {
        if (!path.EndsWith(".hex", StringComparison.Ordinal)) return File.ReadAllBytes(path);
        string text = string.Concat(File.ReadAllText(path).Where(c => !char.IsWhiteSpace(c)));
        return Convert.FromHexString(text);
    }

    /// <summary>Writes <paramref name="input"/> as <c>name.hex</c>, or raw as <c>name.&lt;rawExtension&gt;</c>.</summary>
    public static string Write(string folder, string name, byte[] input, string? rawExtension = null)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, rawExtension is null ? name + ".hex" : name + "." + rawExtension);
        if (rawExtension is null) File.WriteAllText(path, Convert.ToHexStringLower(input) + "\n");
        else File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>The extension a target's corpus files use: raw for text formats, hex otherwise.</summary>
    public static string? RawExtensionFor(InputFormat format) => format switch
    {
        InputFormat.Json => "json",
        InputFormat.Text => "txt",
        _ => null,
    };
}
