using System.Reflection;

namespace Mgr.Node.Demo;

/// <summary>How to start another <c>mgr</c> process from this one: the apphost itself, or <c>dotnet mgr.dll</c> when
/// this process runs under the <c>dotnet</c> host (as <c>dotnet mgr.dll demo</c> and the tests do).</summary>
public sealed record MgrExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The executable of the running process, resolved as described above.</summary>
    public static MgrExecutable Current()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running executable is unknown.");
        string name = Path.GetFileNameWithoutExtension(process);
        if (name.Equals("mgr", StringComparison.OrdinalIgnoreCase)) return new MgrExecutable(process, []);
        return ForAssembly(process, typeof(MgrExecutable).Assembly);
    }

    /// <summary><paramref name="dotnetHost"/> running the assembly file of <paramref name="assembly"/>.</summary>
    public static MgrExecutable ForAssembly(string dotnetHost, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string location = assembly.Location;
        if (string.IsNullOrEmpty(location)) throw new InvalidOperationException("The mgr assembly has no file location (single-file publish): run the mgr apphost instead.");
        return new MgrExecutable(dotnetHost, [location]);
    }
}
