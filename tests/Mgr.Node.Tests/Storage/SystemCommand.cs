using System.Diagnostics;

namespace Mgr.Node.Tests.Storage;

/// <summary>Runs a system command (mount, umount, chattr) and fails loudly if it does not succeed.</summary>
internal static class SystemCommand
{
    public static void Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{command} {string.Join(' ', arguments)}` failed with exit code {process.ExitCode}: {error}");
    }
}
