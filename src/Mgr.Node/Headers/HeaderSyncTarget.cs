using Mgr.Node.Chain;
using Mgr.Trie.Headers;

namespace Mgr.Node.Headers;

/// <summary>What header sync aims at: the weak-subjectivity <see cref="Checkpoint"/> (the bottom) and the latest
/// finalized header from the consensus driver (the trusted top), which moves up as blocks are finalized.</summary>
/// <remarks>Thread-safe: the consensus-event loop advances it while the pipeline reads it.</remarks>
public sealed class HeaderSyncTarget(WeakSubjectivityCheckpoint checkpoint)
{
    private BlockHeader? _finalized;

    public WeakSubjectivityCheckpoint Checkpoint { get; } = checkpoint;

    /// <summary>The latest finalized header, or null before the first.</summary>
    public BlockHeader? Finalized => Volatile.Read(ref _finalized);

    /// <summary>Moves the top to <paramref name="finalized"/> when it is higher than the current one.</summary>
    /// <returns>True when the top moved.</returns>
    public bool Advance(BlockHeader finalized)
    {
        ArgumentNullException.ThrowIfNull(finalized);
        while (true)
        {
            BlockHeader? current = Volatile.Read(ref _finalized);
            if (current is not null && current.Number >= finalized.Number) return false;
            if (Interlocked.CompareExchange(ref _finalized, finalized, current) == current) return true;
        }
    }
}
