using Mgr.Protocol.Tests.TestSupport;
using Mgr.Protocol.Transport.Multistream;

namespace Mgr.Protocol.Tests.Transport.Multistream;

public sealed class MultistreamSelectTests
{
    private static readonly CancellationToken Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Agrees_on_the_first_protocol_both_sides_support()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();

        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/yamux/1.0.0", "/noise"], Timeout);
        string selected = await MultistreamSelect.SelectAsync(dialer, ["/noise"], Timeout);

        Assert.Equal("/noise", selected);
        Assert.Equal("/noise", await listening);
    }

    [Fact]
    public async Task Falls_back_to_the_next_proposal_after_na()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();

        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/b"], Timeout);
        string selected = await MultistreamSelect.SelectAsync(dialer, ["/a", "/b"], Timeout);

        Assert.Equal("/b", selected);
        Assert.Equal("/b", await listening);
    }

    [Fact]
    public async Task Reports_not_supported_when_every_proposal_is_refused()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/b"], Timeout);

        var error = await Assert.ThrowsAsync<MultistreamException>(async () => await MultistreamSelect.SelectAsync(dialer, ["/a", "/c"], Timeout));

        Assert.Equal(MultistreamError.NotSupported, error.Reason);
        await dialer.DisposeAsync();
        var listenerError = await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
        Assert.Equal(MultistreamError.EndOfStream, listenerError.Reason);
    }

    [Fact]
    public async Task Writes_the_exact_bytes_of_the_spec_example()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/ipfs/kad/1.0.0"], Timeout);

        await dialer.WriteAsync(Hex.Bytes("13" + Convert.ToHexString("/multistream/1.0.0\n"u8) + "10" + Convert.ToHexString("/ipfs/kad/0.2.3\n"u8)));
        byte[] reply = new byte[20 + 4];
        await dialer.ReadExactlyAsync(reply);

        Assert.Equal("/multistream/1.0.0\n", System.Text.Encoding.UTF8.GetString(reply, 1, 19));
        Assert.Equal(Hex.Bytes("036e610a"), reply[20..]); // "na"
        await dialer.DisposeAsync();
        await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
    }

    [Fact]
    public async Task Lists_supported_protocols_on_ls()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/a", "/bb"], Timeout);

        byte[] bytes = [.. MultistreamSelect.EncodeMessage("/multistream/1.0.0"), .. MultistreamSelect.EncodeMessage("ls")];
        await dialer.WriteAsync(bytes);
        byte[] reply = new byte[20 + 1 + 10];
        await dialer.ReadExactlyAsync(reply);

        Assert.Equal(Hex.Bytes("0a032f610a042f62620a0a"), reply[20..]);
        await dialer.WriteAsync(MultistreamSelect.EncodeMessage("/bb"));
        Assert.Equal("/bb", await listening);
    }

    [Fact]
    public async Task Leaves_data_sent_right_after_the_negotiation_in_the_stream()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        byte[] bytes = [.. MultistreamSelect.EncodeMessage("/multistream/1.0.0"), .. MultistreamSelect.EncodeMessage("/p"), 42, 43];
        await dialer.WriteAsync(bytes);

        string selected = await MultistreamSelect.ListenAsync(listener, ["/p"], Timeout);
        byte[] rest = new byte[2];
        await listener.ReadExactlyAsync(rest);

        Assert.Equal("/p", selected);
        Assert.Equal(new byte[] { 42, 43 }, rest);
    }

    [Fact]
    public async Task Rejects_an_oversized_line()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/p"], Timeout);

        byte[] bytes = [.. MultistreamSelect.EncodeMessage("/multistream/1.0.0"), 0x81, 0x08]; // declares 1025 bytes
        await dialer.WriteAsync(bytes);

        var error = await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
        Assert.Equal(MultistreamError.MessageTooLong, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_peer_that_does_not_open_with_the_multistream_header()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/p"], Timeout);

        await dialer.WriteAsync(System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example\r\n" + new string('x', 100)));

        var error = await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
        Assert.Equal(MultistreamError.ProtocolViolation, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_line_without_a_newline()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/p"], Timeout);

        byte[] bytes = [.. MultistreamSelect.EncodeMessage("/multistream/1.0.0"), 0x02, (byte)'/', (byte)'p'];
        await dialer.WriteAsync(bytes);

        var error = await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
        Assert.Equal(MultistreamError.ProtocolViolation, error.Reason);
    }

    [Fact]
    public async Task Gives_up_after_too_many_unsupported_proposals()
    {
        (Stream dialer, Stream listener) = DuplexPipe.CreateInMemory();
        ValueTask<string> listening = MultistreamSelect.ListenAsync(listener, ["/p"], Timeout);
        var flood = new List<byte>(MultistreamSelect.EncodeMessage("/multistream/1.0.0"));
        for (int i = 0; i <= MultistreamSelect.MaxProposals; i++) flood.AddRange(MultistreamSelect.EncodeMessage($"/x/{i}"));

        await dialer.WriteAsync(flood.ToArray());

        var error = await Assert.ThrowsAsync<MultistreamException>(async () => await listening);
        Assert.Equal(MultistreamError.TooManyProposals, error.Reason);
    }

    [Fact]
    public async Task Stops_waiting_when_cancelled()
    {
        (Stream _, Stream listener) = DuplexPipe.CreateInMemory();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await MultistreamSelect.ListenAsync(listener, ["/p"], cancellation.Token));
    }

    [Fact]
    public async Task Negotiates_over_real_tcp()
    {
        (Stream client, Stream server) = await DuplexPipe.CreateTcpAsync();
        await using (client)
        await using (server)
        {
            ValueTask<string> listening = MultistreamSelect.ListenAsync(server, ["/noise"], Timeout);
            Assert.Equal("/noise", await MultistreamSelect.SelectAsync(client, ["/tls/1.0.0", "/noise"], Timeout));
            Assert.Equal("/noise", await listening);
        }
    }
}
