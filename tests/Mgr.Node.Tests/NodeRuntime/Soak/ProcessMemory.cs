using System.Globalization;

namespace Mgr.Node.Tests.NodeRuntime.Soak;

/// <summary>Reads a Linux process's memory figures from <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>VmHWM (peak resident set size) in bytes, or null when the process or the field is gone.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024; // the field is in kB
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended meanwhile.
        }
        return null;
    }
}
