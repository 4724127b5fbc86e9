using Mgr.Node.Swarm;

namespace Mgr.Node.Tests.Swarm;

public sealed class SwarmLoopTests
{
    private static readonly TimeSpan LongTick = TimeSpan.FromHours(1);

    [Fact]
    public async Task Idle_work_runs_only_while_no_posted_action_waits()
    {
        var loop = new SwarmLoop();
        var order = new List<string>();
        using var stop = new CancellationTokenSource();
        int slices = 0;
        // Each idle slice posts an action: it must run before the next slice.
        bool Idle()
        {
            if (slices == 3) return false;
            slices++;
            order.Add($"idle {slices}");
            loop.Post(() => order.Add($"event {slices}"));
            return true;
        }
        loop.Post(() => order.Add("event 0"));
        loop.Post(() => order.Add("event 0b"));

        Task running = loop.RunAsync(static () => { }, LongTick, stop.Token, Idle);
        var done = new TaskCompletionSource();
        for (int i = 0; i < 200 && !done.Task.IsCompleted; i++)
        {
            loop.Post(() => { if (slices == 3) done.TrySetResult(); });
            await Task.Delay(5);
        }
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["event 0", "event 0b", "idle 1", "event 1", "idle 2", "event 2", "idle 3", "event 3"], order);
    }

    [Fact]
    public async Task Cancellation_ends_a_loop_whose_idle_work_never_runs_out()
    {
        var loop = new SwarmLoop();
        using var stop = new CancellationTokenSource();
        long slices = 0;

        Task running = Task.Run(() => loop.RunAsync(static () => { }, LongTick, stop.Token, () => Interlocked.Increment(ref slices) > 0));
        while (Interlocked.Read(ref slices) < 1000) await Task.Delay(1);
        await stop.CancelAsync();

        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(running.IsCompletedSuccessfully);
    }
}
