using System.Diagnostics;

namespace Mgr.Node.Tests.Demo;

/// <summary>Runs <c>dotnet mgr.dll …</c> as a child process of the test, capturing stdout and stderr.</summary>
public sealed class MgrChild : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public MgrChild(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(StandInMgr.MgrDll);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    /// <summary>Waits up to <paramref name="limit"/> for the exit; kills the tree and fails the test when it is exceeded.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            Assert.Fail($"mgr did not exit within {limit}; stderr: {await _stderr}");
        }
        return (_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Sends SIGTERM (as a service manager or Ctrl-C in a terminal would).</summary>
    public void Terminate()
    {
        using Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
