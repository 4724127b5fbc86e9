using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

public sealed class ChildProcessTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mgr-child-" + Guid.NewGuid().ToString("N"));

    public ChildProcessTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Kills_a_child_that_ignores_sigterm_together_with_its_grandchild()
    {
        var lines = new List<string>();
        var shell = new MgrExecutable("bash", ["-c", "trap '' TERM; sleep 300 & echo $!; wait"]);
        ChildProcess child = ChildProcess.Start("stubborn", shell, [], Path.Combine(_directory, "child.log"), line => { lock (lines) lines.Add(line); });
        int grandchild = await FirstLine(lines);

        int code = await child.StopAsync(TimeSpan.FromMilliseconds(300));
        await child.DisposeAsync();

        Assert.Equal(137, code);
        Assert.False(ProcessTree.IsAlive(grandchild));
    }

    [Fact]
    public async Task Ends_the_grandchildren_together_with_the_child()
    {
        var lines = new List<string>();
        var shell = new MgrExecutable("bash", ["-c", "sleep 300 & echo $!; wait"]);
        ChildProcess child = ChildProcess.Start("parent", shell, [], Path.Combine(_directory, "child.log"), line => { lock (lines) lines.Add(line); });
        int grandchild = await FirstLine(lines);

        await child.DisposeAsync();

        Assert.False(ProcessTree.IsAlive(grandchild));
        Assert.Contains("sleep 300", File.ReadAllText(Path.Combine(_directory, "child.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_last_lines_for_a_failure_message()
    {
        var shell = new MgrExecutable("bash", ["-c", "for i in $(seq 1 20); do echo line $i; done; exit 3"]);
        ChildProcess child = ChildProcess.Start("talker", shell, [], Path.Combine(_directory, "child.log"));

        await child.WaitForExitAsync(CancellationToken.None);
        int code = await child.StopAsync(TimeSpan.FromSeconds(1));
        await child.DisposeAsync();

        Assert.Equal(3, code);
        Assert.Equal(Enumerable.Range(13, 8).Select(i => $"line {i}"), child.Tail());
    }

    [Fact]
    public async Task Once_its_output_is_drained_an_exited_child_has_its_last_words_in_the_tail()
    {
        for (int i = 0; i < 10; i++)
        {
            var shell = new MgrExecutable("bash", ["-c", $"echo 'last words {i}' >&2; exit 2"]);
            ChildProcess child = ChildProcess.Start("quitter", shell, [], Path.Combine(_directory, $"child-{i}.log"));
            while (!child.HasExited) await Task.Delay(1);

            await child.DrainOutputAsync(TimeSpan.FromSeconds(10));

            Assert.Equal([$"last words {i}"], child.Tail());
            await child.DisposeAsync();
        }
    }

    private static async Task<int> FirstLine(List<string> lines)
    {
        for (int i = 0; i < 100; i++)
        {
            lock (lines)
                if (lines.Count > 0) return int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(50);
        }
        throw new TimeoutException("the child printed nothing");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
