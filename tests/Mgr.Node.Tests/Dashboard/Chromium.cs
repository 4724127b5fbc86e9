using System.Diagnostics;

namespace Mgr.Node.Tests.Dashboard;

/// <summary>Runs Debian's headless chromium against a URL. Missing chromium fails the test with the install command.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string Path => Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Headless Chromium is required for the dashboard tests and was not found. Install it: "
            + "sudo apt-get install -y chromium (as root: apt-get install -y chromium), or run scripts/prereqs.sh.");

    /// <summary>Loads <paramref name="url"/>, lets the page run for <paramref name="budgetMilliseconds"/> of virtual time,
    /// and returns the serialized DOM.</summary>
    public static Task<string> DumpDomAsync(Uri url, int budgetMilliseconds) => RunAsync(url, budgetMilliseconds, "--dump-dom");

    /// <summary>Loads <paramref name="url"/> and writes a PNG screenshot to <paramref name="file"/>.</summary>
    public static Task<string> ScreenshotAsync(Uri url, int budgetMilliseconds, string file)
        => RunAsync(url, budgetMilliseconds, $"--screenshot={file}", "--window-size=1280,860", "--hide-scrollbars");

    private static async Task<string> RunAsync(Uri url, int budgetMilliseconds, params string[] extra)
    {
        string profile = Directory.CreateTempSubdirectory("mgr-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                $"--user-data-dir={profile}", $"--virtual-time-budget={budgetMilliseconds}", .. extra, url.ToString()])
            {
                start.ArgumentList.Add(argument);
            }
            using Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish loading {url} within 90 s: {await error}");
            }
            string dom = await output;
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await error}");
            return dom;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A crashpad helper may still hold a file; the temp folder is cleaned by the OS.
            }
        }
    }
}
