using Mgr.Protocol.Tests.Transport.Yamux;
using Mgr.Protocol.Transport.Identify;
using Mgr.Protocol.Transport.Yamux;

namespace Mgr.Protocol.Tests.Transport.Identify;

public sealed class IdentifyExchangeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sends_and_receives_one_message_over_a_yamux_stream()
    {
        await using var pair = SessionPair.Create();

        YamuxStream asking = await pair.Client.OpenStreamAsync();
        await asking.CloseWriteAsync();
        YamuxStream identified = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await IdentifyExchange.SendAsync(identified, IdentifyMessageTests.Sample());
        await identified.CloseWriteAsync();
        IdentifyMessage received = await IdentifyExchange.ReceiveAsync(asking).AsTask().WaitAsync(Bound);

        Assert.Equal("mgr/0.1", received.AgentVersion);
        Assert.Equal(["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"], received.Protocols);
    }

    [Fact]
    public async Task Rejects_an_oversized_length_prefix_without_reading_the_body()
    {
        using var stream = new MemoryStream([0x80, 0x80, 0x40]); // 1 MiB announced, no body

        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyExchange.ReceiveAsync(stream).AsTask());

        Assert.Equal(IdentifyError.MessageTooLarge, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_prefix_just_over_the_limit()
    {
        using var stream = new MemoryStream([0x81, 0x40]); // 8193

        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyExchange.ReceiveAsync(stream).AsTask());

        Assert.Equal(IdentifyError.MessageTooLarge, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_non_minimal_length_prefix()
    {
        using var stream = new MemoryStream([0x85, 0x00, 1, 2, 3, 4, 5]);

        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyExchange.ReceiveAsync(stream).AsTask());

        Assert.Equal(IdentifyError.BadLengthPrefix, error.Reason);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x0A, 0x0A, 0x02 })]
    public async Task Rejects_a_stream_that_ends_early(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);

        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyExchange.ReceiveAsync(stream).AsTask());

        Assert.Equal(IdentifyError.Truncated, error.Reason);
    }

    [Fact]
    public async Task Refuses_to_send_a_message_over_the_limit()
    {
        var message = new IdentifyMessage { AgentVersion = new string('x', IdentifyLimits.MaxMessageBytes) };
        using var stream = new MemoryStream();

        await Assert.ThrowsAsync<ArgumentException>(() => IdentifyExchange.SendAsync(stream, message).AsTask());

        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public async Task An_oversized_message_on_one_stream_leaves_other_streams_working()
    {
        await using var pair = SessionPair.Create();

        YamuxStream bad = await pair.Client.OpenStreamAsync();
        YamuxStream good = await pair.Client.OpenStreamAsync();
        YamuxStream badServer = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        YamuxStream goodServer = (await pair.Server.AcceptStreamAsync().AsTask().WaitAsync(Bound))!;
        await badServer.WriteAsync(new byte[] { 0xFF, 0xFF, 0x03 });
        await IdentifyExchange.SendAsync(goodServer, IdentifyMessageTests.Sample());
        var error = await Assert.ThrowsAsync<IdentifyException>(() => IdentifyExchange.ReceiveAsync(bad).AsTask().WaitAsync(Bound));
        IdentifyMessage received = await IdentifyExchange.ReceiveAsync(good).AsTask().WaitAsync(Bound);

        Assert.Equal(IdentifyError.MessageTooLarge, error.Reason);
        Assert.Equal("mgr/0.1", received.AgentVersion);
    }
}
