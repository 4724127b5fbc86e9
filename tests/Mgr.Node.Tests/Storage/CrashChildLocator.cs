using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Mgr.Node.Tests.Storage;

/// <summary>Finds the crash child's build output next to this test assembly's (same configuration and layout, also
/// under --artifacts-path), or builds it into a temporary artifacts folder when the solution build did not (e.g.
/// `dotnet test tests/Mgr.Node.Tests`): slower, but never a skipped crash test.</summary>
internal static class CrashChildLocator
{
    private const string ChildName = "Mgr.Storage.CrashChild";
    private static readonly Lazy<string> Located = new(Find);

    public static string Locate() => Located.Value;

    private static string Find()
    {
        string here = AppContext.BaseDirectory;
        string sibling = Path.Combine(here.Replace("Mgr.Node.Tests", ChildName, StringComparison.Ordinal), ChildName + ".dll");
        if (File.Exists(sibling)) return sibling;

        string project = Path.Combine(RepositoryRoot(), "tests", ChildName, ChildName + ".csproj");
        // Its own artifacts folder, so this build never touches the obj/bin folders of the checkout.
        string artifacts = Path.Combine(Path.GetTempPath(), "mgr-crash-child", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(here)))[..16]);
        var build = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "build", project, "-c", "Release", "--artifacts-path", artifacts, "--nologo" }) build.ArgumentList.Add(argument);
        using Process process = Process.Start(build) ?? throw new InvalidOperationException("could not start dotnet build");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        string built = Path.Combine(artifacts, "bin", ChildName, "release", ChildName + ".dll");
        if (process.ExitCode != 0 || !File.Exists(built))
            throw new InvalidOperationException($"{ChildName} was not built next to the tests ({sibling}) and building it failed: {stdout.Result}{stderr}");
        return built;
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
