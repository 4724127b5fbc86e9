namespace Mgr.Node.Tests.Demo;

/// <summary>Processes of this machine found through /proc: which ones still run with a given path in their command line.</summary>
public static class ProcessTable
{
    /// <summary>Ids of live processes whose command line mentions <paramref name="fragment"/> (zombies excluded).</summary>
    public static IReadOnlyList<int> WithCommandLineContaining(string fragment)
    {
        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                string commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains(fragment, StringComparison.Ordinal)) continue;
                string status = File.ReadAllText(Path.Combine(directory, "stat"));
                int close = status.LastIndexOf(')');
                if (close > 0 && close + 2 < status.Length && status[close + 2] == 'Z') continue;
                found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    /// <summary>True when a process with id <paramref name="pid"/> is alive (not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string status = File.ReadAllText($"/proc/{pid}/stat");
            int close = status.LastIndexOf(')');
            return !(close > 0 && close + 2 < status.Length && status[close + 2] == 'Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
