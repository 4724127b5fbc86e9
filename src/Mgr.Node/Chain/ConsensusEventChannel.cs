using System.Threading.Channels;

namespace Mgr.Node.Chain;

/// <summary>The <see cref="IConsensusDriver"/> fed by an event source (the Engine API handler, or a test):
/// a bounded queue that never blocks the publisher.</summary>
/// <remarks>Thread-safe. When <see cref="Capacity"/> events are waiting, the oldest is dropped: a driver
/// that floods us must not grow memory, and newer heads and finalized blocks supersede old ones. One reader.</remarks>
public sealed class ConsensusEventChannel : IConsensusDriver
{
    /// <summary>Events kept for a slow reader (about 3 hours of 12-second slots with two events each).</summary>
    public const int Capacity = 1024;

    private readonly Channel<ConsensusEvent> _channel = Channel.CreateBounded<ConsensusEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues <paramref name="event"/> (never blocks).</summary>
    public void Publish(ConsensusEvent @event) => _channel.Writer.TryWrite(@event);

    /// <summary>Ends the stream: readers finish after the queued events.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public IAsyncEnumerable<ConsensusEvent> ReadEventsAsync(CancellationToken cancellation) => _channel.Reader.ReadAllAsync(cancellation);
}
