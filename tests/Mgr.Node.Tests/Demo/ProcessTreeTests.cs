using System.Diagnostics;
using Mgr.Node.Demo;

namespace Mgr.Node.Tests.Demo;

public sealed class ProcessTreeTests
{
    [Fact]
    public void Finds_a_grandchild_under_its_grandparent()
    {
        using Process shell = Process.Start(new ProcessStartInfo("bash", ["-c", "sleep 30 & echo $!; wait"]) { RedirectStandardOutput = true })!;
        try
        {
            int grandchild = int.Parse(shell.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);

            IReadOnlyList<int> tree = ProcessTree.Of(shell.Id);

            Assert.Equal(shell.Id, tree[0]);
            Assert.Contains(grandchild, tree);
            Assert.True(ProcessTree.IsAlive(grandchild));
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
        }
    }
}
