using System.Threading.Tasks.Sources;

namespace Mgr.Protocol.Transport.Yamux;

/// <summary>An auto-reset signal for exactly one waiter at a time, allocation-free once constructed.</summary>
/// <remarks>A <see cref="Set"/> with nobody waiting is remembered and releases the next wait at once, so waiters
/// must re-check their condition after waking (a wake may be stale). Continuations run on the thread pool.</remarks>
internal sealed class AsyncWakeSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private CancellationToken _waitToken;
    private bool _set;
    private bool _waiting;

    /// <summary>Waits for the next <see cref="Set"/> (or returns at once if one is pending).</summary>
    public ValueTask WaitAsync(CancellationToken cancellation)
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }
            if (_waiting) throw new InvalidOperationException("Only one waiter at a time.");
            cancellation.ThrowIfCancellationRequested();
            _waiting = true;
            _waitToken = cancellation;
            _core.Reset();
            // Registered under the (re-entrant) lock so GetResult always sees this wait's registration.
            if (cancellation.CanBeCanceled)
            {
                _registration = cancellation.UnsafeRegister(static state => ((AsyncWakeSignal)state!).Cancel(), this);
            }
        }
        return new ValueTask(this, _core.Version);
    }

    /// <summary>Releases the waiter, or the next one if nobody waits.</summary>
    public void Set()
    {
        lock (_lock)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }
            _waiting = false;
        }
        _core.SetResult(true);
    }

    private void Cancel()
    {
        lock (_lock)
        {
            if (!_waiting) return;
            _waiting = false;
        }
        _core.SetException(new OperationCanceledException(_waitToken));
    }

    void IValueTaskSource.GetResult(short token)
    {
        _registration.Dispose();
        _registration = default;
        _core.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
