namespace Mgr.Node.Tests.Cli;

/// <summary>A file or directory under the temp folder, removed on dispose.</summary>
public sealed class TempFile(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (File.Exists(Path)) File.Delete(Path);
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
