using System.Globalization;

namespace Mgr.Node.Demo;

/// <summary>A process and its descendants, read from Linux's /proc (parent ids in <c>/proc/&lt;pid&gt;/stat</c>).</summary>
public static class ProcessTree
{
    /// <summary><paramref name="root"/> and every live descendant, parents before children; empty off Linux.</summary>
    public static IReadOnlyList<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        if (!Directory.Exists("/proc")) return [];
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (TryReadStat(pid, out int parent, out _))
            {
                if (!children.TryGetValue(parent, out List<int>? list)) children[parent] = list = [];
                list.Add(pid);
            }
        }
        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
            if (children.TryGetValue(tree[i], out List<int>? list)) tree.AddRange(list.Where(c => !tree.Contains(c)));
        return tree;
    }

    /// <summary>True when <paramref name="pid"/> runs (a zombie, already exited, does not count).</summary>
    public static bool IsAlive(int pid) => TryReadStat(pid, out _, out char state) && state != 'Z';

    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so parse after the last ')'.
    private static bool TryReadStat(int pid, out int parent, out char state)
    {
        parent = 0;
        state = '?';
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 4 >= text.Length) return false;
        state = text[close + 2];
        int end = text.IndexOf(' ', close + 4);
        return end > 0 && int.TryParse(text.AsSpan(close + 4, end - close - 4), NumberStyles.None, CultureInfo.InvariantCulture, out parent);
    }
}
