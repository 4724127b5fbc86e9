using Mgr.Fuzz.Support;

namespace Mgr.Fuzz.Engine;

/// <summary>A target that plays the remote side of a connection: the input is written as the peer's bytes, the peer's
/// side is closed, and the code under test must end in its documented typed failure or a clean result within
/// <see cref="Deadline"/> (else a hang is reported). Allocation is counted process-wide.</summary>
internal abstract class StreamTarget : FuzzTarget
{
    /// <summary>How long the code under test gets after the peer has sent everything and closed.</summary>
    protected static TimeSpan Deadline => TimeSpan.FromSeconds(5);

    public override AllocationScope AllocationScope => AllocationScope.Process;

    public override TimeSpan TimeBound => TimeSpan.FromSeconds(15);

    public override int MaxInputBytes => 8 * 1024;

    public sealed override string Execute(byte[] input)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return RunAsync(input, timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException error) when (timeout.IsCancellationRequested)
        {
            throw new FuzzTimeoutException($"no typed failure or clean end within {Deadline.TotalSeconds:F0} s after the peer closed", error);
        }
    }

    /// <summary>Runs the code under test against a peer that sends <paramref name="input"/>.</summary>
    protected abstract ValueTask<string> RunAsync(byte[] input, CancellationToken cancellation);

    /// <summary>A fresh connection with <paramref name="input"/> already sent by the remote side, which then closes.</summary>
    protected static async ValueTask<DuplexPair> ConnectionFromAsync(byte[] input, CancellationToken cancellation)
    {
        var pair = new DuplexPair();
        await pair.SendFromRemoteAsync(input, cancellation).ConfigureAwait(false);
        await pair.CompleteRemoteOutputAsync().ConfigureAwait(false);
        return pair;
    }
}
