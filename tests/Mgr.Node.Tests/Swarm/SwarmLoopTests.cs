using Mgr.Node.Swarm;

namespace Mgr.Node.Tests.Swarm;

public sealed class SwarmLoopTests
{
    private static readonly TimeSpan LongTick = TimeSpan.FromHours(1);

    [Fact]
    public async Task Posted_actions_run_before_each_slice_of_idle_work()
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
    public async Task Background_work_gets_a_slice_after_at_most_a_batch_of_actions_however_many_wait()
    {
        var loop = new SwarmLoop();
        using var stop = new CancellationTokenSource();
        var handledBeforeSlice = new List<int>();
        int handled = 0, slices = 0;
        for (int i = 0; i < 3 * SwarmLoop.ActionsPerIdleSlice; i++) loop.Post(() => handled++);
        bool Idle()
        {
            handledBeforeSlice.Add(handled);
            return ++slices < 4;
        }

        Task running = loop.RunAsync(static () => { }, LongTick, stop.Token, Idle);
        for (int i = 0; i < 1000 && Volatile.Read(ref slices) < 4; i++) await Task.Delay(5);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        int batch = SwarmLoop.ActionsPerIdleSlice;
        Assert.Equal([batch, 2 * batch, 3 * batch, 3 * batch], handledBeforeSlice);
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
