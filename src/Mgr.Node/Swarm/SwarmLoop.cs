using System.Threading.Channels;

namespace Mgr.Node.Swarm;

/// <summary>The one loop that owns a <see cref="SwarmEngine"/> over real connections: network tasks post events
/// (<see cref="Post"/>), the loop runs them one at a time together with a periodic tick.</summary>
/// <remarks>Thread-safe to post from anywhere; every posted action runs on the loop's single task.</remarks>
public sealed class SwarmLoop
{
    private readonly Channel<Action> _events = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="action"/> to run on the loop.</summary>
    public void Post(Action action) => _events.Writer.TryWrite(action);

    /// <summary>Runs posted actions and calls <paramref name="tick"/> every <paramref name="tickInterval"/> until cancelled.</summary>
    public async Task RunAsync(Action tick, TimeSpan tickInterval, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tick);
        using var timer = new PeriodicTimer(tickInterval);
        Task ticks = PostTicksAsync(timer, tick, cancellation);
        try
        {
            await foreach (Action action in _events.Reader.ReadAllAsync(cancellation).ConfigureAwait(false)) action();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
        finally
        {
            await ticks.ConfigureAwait(false);
        }
    }

    private async Task PostTicksAsync(PeriodicTimer timer, Action tick, CancellationToken cancellation)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false)) Post(tick);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }
}
