using System.Threading.Channels;

namespace Mgr.Node.Swarm;

/// <summary>The one loop that owns a <see cref="SwarmEngine"/> over real connections: network tasks post events
/// (<see cref="Post"/>), the loop runs them one at a time together with a periodic tick.</summary>
/// <remarks>Thread-safe to post from anywhere; every posted action runs on the loop's single task. An action that throws
/// ends the loop with that exception (an engine bug must not go unnoticed while the node keeps running half-dead).</remarks>
public sealed class SwarmLoop
{
    private int _tickQueued;
    private readonly Channel<Action> _events = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="action"/> to run on the loop.</summary>
    public void Post(Action action) => _events.Writer.TryWrite(action);

    /// <summary>Posted actions handled, at the most, between two slices of background work.</summary>
    public const int ActionsPerIdleSlice = 64;

    /// <summary>Runs posted actions and calls <paramref name="tick"/> every <paramref name="tickInterval"/> until cancelled.
    /// <paramref name="idle"/> (if given) runs a slice of background work and returns true while there is more: waiting
    /// actions go first, up to <see cref="ActionsPerIdleSlice"/> of them before each slice, so neither starves.</summary>
    public async Task RunAsync(Action tick, TimeSpan tickInterval, CancellationToken cancellation, Func<bool>? idle = null)
    {
        ArgumentNullException.ThrowIfNull(tick);
        using var timer = new PeriodicTimer(tickInterval);
        using var stopTicks = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task ticks = PostTicksAsync(timer, tick, stopTicks.Token);
        ChannelReader<Action> events = _events.Reader;
        try
        {
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                int handled = 0;
                while (handled < ActionsPerIdleSlice && events.TryRead(out Action? action))
                {
                    action();
                    handled++;
                }
                if (idle is not null && idle()) continue;
                if (handled == 0 && !await events.WaitToReadAsync(cancellation).ConfigureAwait(false)) break;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            // Also when an action threw: the loop is over, so is its tick (the fault surfaces from this task).
            await stopTicks.CancelAsync().ConfigureAwait(false);
            await ticks.ConfigureAwait(false);
        }
    }

    private async Task PostTicksAsync(PeriodicTimer timer, Action tick, CancellationToken cancellation)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
            {
                // At most one tick waits in the queue: a loop busy for a while catches up with one tick, not a backlog.
                if (Interlocked.Exchange(ref _tickQueued, 1) == 0) Post(() =>
                {
                    Volatile.Write(ref _tickQueued, 0);
                    tick();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
