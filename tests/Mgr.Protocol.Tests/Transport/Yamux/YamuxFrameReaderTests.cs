using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Yamux;

public sealed class YamuxFrameReaderTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Holds_no_buffer_while_waiting_for_data()
    {
        (InMemoryDuplexStream local, InMemoryDuplexStream remote) = InMemoryDuplexStream.CreatePair();
        using var reader = new YamuxFrameReader(local, 1024);

        ValueTask<bool> waiting = reader.ReadMoreAsync(Timeout);
        bool heldWhileWaiting = reader.HoldsBuffer;
        await remote.WriteAsync(new byte[] { 1, 2, 3 }, Timeout);
        bool read = await waiting;
        byte[] buffered = reader.Buffered.ToArray();
        bool heldWithData = reader.HoldsBuffer;
        reader.Consume(3);
        ValueTask<bool> waitingAgain = reader.ReadMoreAsync(Timeout);
        bool heldWhileWaitingAgain = reader.HoldsBuffer;
        await remote.WriteAsync(new byte[] { 4 }, Timeout);
        await waitingAgain;

        Assert.False(heldWhileWaiting);
        Assert.True(read);
        Assert.Equal([1, 2, 3], buffered);
        Assert.True(heldWithData);
        Assert.False(heldWhileWaitingAgain);
        Assert.Equal([4], reader.Buffered.ToArray());
    }

    [Fact]
    public async Task Keeps_unconsumed_bytes_when_reading_more()
    {
        (InMemoryDuplexStream local, InMemoryDuplexStream remote) = InMemoryDuplexStream.CreatePair();
        using var reader = new YamuxFrameReader(local, 1024);
        await remote.WriteAsync(new byte[] { 1, 2, 3 }, Timeout);
        await reader.ReadMoreAsync(Timeout);
        reader.Consume(1);

        await remote.WriteAsync(new byte[] { 4, 5 }, Timeout);
        await reader.ReadMoreAsync(Timeout);

        Assert.True(reader.HoldsBuffer);
        Assert.Equal([2, 3, 4, 5], reader.Buffered.ToArray());
    }

    [Fact]
    public async Task Reports_the_end_of_the_connection()
    {
        (InMemoryDuplexStream local, InMemoryDuplexStream remote) = InMemoryDuplexStream.CreatePair();
        using var reader = new YamuxFrameReader(local, 1024);

        await remote.DisposeAsync();
        bool read = await reader.ReadMoreAsync(Timeout);

        Assert.False(read);
        Assert.Equal(0, reader.BufferedCount);
    }
}
