using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mgr.Node.Demo;

/// <summary>One child <c>mgr</c> process of the demo: stdout and stderr go to its log file (each stdout line is also
/// offered to the line handler given to <see cref="Start"/>). <see cref="StopAsync"/> asks it to stop with SIGTERM and, after a grace period,
/// SIGKILLs its whole process tree; <see cref="DisposeAsync"/> always ends with the process tree gone.</summary>
/// <remarks>Thread-safe for <see cref="StopAsync"/>/<see cref="DisposeAsync"/>; the line handler runs on a reader thread.</remarks>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _stdoutLine;
    private int _stopped;
    private IReadOnlyList<int> _tree = [];

    private ChildProcess(string name, Process process, StreamWriter log, Action<string>? stdoutLine)
    {
        Name = name;
        _process = process;
        _log = log;
        _stdoutLine = stdoutLine;
        _stdout = Task.Run(() => Pump(process.StandardOutput, isStdout: true));
        _stderr = Task.Run(() => Pump(process.StandardError, isStdout: false));
    }

    public string Name { get; }
    public int Id => _process.Id;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>, logging to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, MgrExecutable executable, IEnumerable<string> arguments, string logPath, Action<string>? stdoutLine = null)
    {
        ArgumentNullException.ThrowIfNull(executable);
        var info = new ProcessStartInfo(executable.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (string argument in executable.LeadingArguments.Concat(arguments)) info.ArgumentList.Add(argument);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        log.WriteLine($"# {info.FileName} {string.Join(' ', info.ArgumentList)}");
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            log.Dispose();
            throw;
        }
        return new ChildProcess(name, process, log, stdoutLine);
    }

    /// <summary>The last lines the process wrote (stdout and stderr), for a failure message.</summary>
    public IReadOnlyList<string> Tail()
    {
        lock (_logLock) return [.. _tail];
    }

    /// <summary>For a process that has exited: waits up to <paramref name="limit"/> until its stdout and stderr are read
    /// to the end, so that <see cref="Tail"/> holds its last lines (a descendant still holding the pipes only costs the
    /// limit).</summary>
    public async Task DrainOutputAsync(TimeSpan limit)
    {
        try
        {
            await Task.WhenAll(_stdout, _stderr).WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Tail() has what was read so far.
        }
    }

    /// <summary>SIGTERM to the process and every descendant, up to <paramref name="grace"/> for the process to exit,
    /// then SIGKILL to whatever of that tree is still alive (descendants are found through /proc before the signal, so
    /// a grandchild orphaned by its parent's exit is still ended). Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0 && !_process.HasExited)
        {
            _tree = ProcessTree.Of(_process.Id);
            foreach (int pid in _tree) _ = Kill(pid, SigTerm);
        }
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time: killed below.
        }
        KillTree();
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(_stdout, _stderr).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to exit on its own.</summary>
    public Task WaitForExitAsync(CancellationToken cancellation) => _process.WaitForExitAsync(cancellation);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        finally
        {
            KillTree();
            _process.Dispose();
            lock (_logLock) _log.Dispose();
        }
    }

    // SIGKILL to the tree seen when stopping began and to the process's current tree.
    private void KillTree()
    {
        IReadOnlyList<int> current = _process.HasExited ? [] : ProcessTree.Of(_process.Id);
        foreach (int pid in _tree.Concat(current).Distinct())
            if (ProcessTree.IsAlive(pid)) _ = Kill(pid, SigKill);
    }

    private async Task Pump(StreamReader reader, bool isStdout)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_logLock)
            {
                _log.WriteLine(line);
                _tail.Enqueue(line);
                if (_tail.Count > 8) _tail.Dequeue();
            }
            if (isStdout) _stdoutLine?.Invoke(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
