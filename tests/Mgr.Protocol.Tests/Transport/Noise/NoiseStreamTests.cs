using System.Buffers.Binary;
using Mgr.Protocol.Identity;
using Mgr.Protocol.Tests.TestSupport;
using Mgr.Protocol.Transport.Noise;

namespace Mgr.Protocol.Tests.Transport.Noise;

public sealed class NoiseStreamTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;

    [Fact]
    public async Task Splits_large_writes_into_frames_of_at_most_65535_bytes()
    {
        (NoiseStream sender, Stream rawReceiver, _) = await SecuredPairWithRawReceiverAsync();
        byte[] data = new byte[3 * NoiseStream.MaxPlaintextPerFrame + 10];

        Task sending = sender.WriteAsync(data, Timeout).AsTask();
        var lengths = new List<int>();
        int payload = 0;
        while (payload < data.Length)
        {
            byte[] header = new byte[2];
            await rawReceiver.ReadExactlyAsync(header, Timeout);
            int length = BinaryPrimitives.ReadUInt16BigEndian(header);
            await rawReceiver.ReadExactlyAsync(new byte[length], Timeout);
            lengths.Add(length);
            payload += length - 16;
        }
        await sending;

        Assert.Equal([65535, 65535, 65535, 26], lengths);
    }

    [Fact]
    public async Task Delivers_frames_to_small_reads_piece_by_piece()
    {
        (NoiseStream sender, NoiseStream receiver) = await SecuredPairAsync();
        byte[] data = new byte[100_000];
        new Random(11).NextBytes(data);

        Task sending = sender.WriteAsync(data, Timeout).AsTask();
        var received = new List<byte>();
        byte[] small = new byte[7];
        while (received.Count < data.Length)
        {
            int read = await receiver.ReadAsync(small, Timeout);
            received.AddRange(small.AsSpan(0, read).ToArray());
        }
        await sending;

        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_the_next_read_gets_the_whole_frame()
    {
        (NoiseStream sender, NoiseStream receiver) = await SecuredPairAsync();
        byte[] data = new byte[NoiseStream.MaxPlaintextPerFrame];
        new Random(5).NextBytes(data);

        ValueTask<int> waiting = receiver.ReadAsync(Memory<byte>.Empty, Timeout);
        bool completedBeforeData = waiting.IsCompleted;
        Task sending = sender.WriteAsync(data, Timeout).AsTask();
        int zero = await waiting;
        int zeroAgain = await receiver.ReadAsync(Memory<byte>.Empty, Timeout);
        byte[] received = new byte[data.Length];
        int read = await receiver.ReadAsync(received, Timeout);
        await sending;

        Assert.False(completedBeforeData);
        Assert.Equal(0, zero);
        Assert.Equal(0, zeroAgain);
        Assert.Equal(data.Length, read);
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Reads_end_of_stream_when_the_peer_closes_between_frames()
    {
        (NoiseStream sender, NoiseStream receiver) = await SecuredPairAsync();

        await sender.WriteAsync("bye"u8.ToArray(), Timeout);
        await sender.DisposeAsync();
        byte[] buffer = new byte[16];
        int first = await receiver.ReadAsync(buffer, Timeout);
        int second = await receiver.ReadAsync(buffer, Timeout);

        Assert.Equal(3, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public async Task Reports_a_frame_cut_short_by_the_connection_closing()
    {
        (Stream rawSender, NoiseStream receiver) = await RawSenderAndSecuredReceiverAsync();

        await rawSender.WriteAsync(new byte[] { 0x01, 0x00, 1, 2, 3 }); // announces 256 bytes
        await rawSender.DisposeAsync();

        var error = await Assert.ThrowsAsync<NoiseException>(async () => _ = await receiver.ReadAsync(new byte[64], Timeout));
        Assert.Equal(NoiseError.Truncated, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_frame_too_short_to_hold_its_tag()
    {
        (Stream rawSender, NoiseStream receiver) = await RawSenderAndSecuredReceiverAsync();

        await rawSender.WriteAsync(new byte[] { 0x00, 0x04, 1, 2, 3, 4 });

        var error = await Assert.ThrowsAsync<NoiseException>(async () => _ = await receiver.ReadAsync(new byte[64], Timeout));
        Assert.Equal(NoiseError.MalformedMessage, error.Reason);
    }

    [Fact]
    public async Task Rejects_a_tampered_frame()
    {
        (NoiseStream sender, Stream rawReceiver, Stream rawForwarder, NoiseStream receiver) = await SecuredPairWithRelayAsync();

        await sender.WriteAsync("authentic"u8.ToArray(), Timeout);
        byte[] frame = new byte[2 + 9 + 16];
        await rawReceiver.ReadExactlyAsync(frame, Timeout);
        frame[5] ^= 0x20;
        await rawForwarder.WriteAsync(frame, Timeout);

        var error = await Assert.ThrowsAsync<NoiseException>(async () => _ = await receiver.ReadAsync(new byte[64], Timeout));
        Assert.Equal(NoiseError.DecryptionFailed, error.Reason);
    }

    [Fact]
    public async Task Rejects_an_oversized_frame_length_that_the_peer_never_fills()
    {
        (Stream rawSender, NoiseStream receiver) = await RawSenderAndSecuredReceiverAsync();

        await rawSender.WriteAsync(new byte[] { 0xff, 0xff });
        await rawSender.WriteAsync(new byte[1000]);
        await rawSender.DisposeAsync();

        var error = await Assert.ThrowsAsync<NoiseException>(async () => _ = await receiver.ReadAsync(new byte[64], Timeout));
        Assert.Equal(NoiseError.Truncated, error.Reason);
    }

    [Fact]
    public async Task Refuses_to_send_once_the_nonce_space_is_used_up()
    {
        (NoiseStream sender, NoiseStream _) = await SecuredPairAsync();
        sender.SetSendNonceForTest(ulong.MaxValue);

        var error = await Assert.ThrowsAsync<NoiseException>(async () => await sender.WriteAsync(new byte[1], Timeout));

        Assert.Equal(NoiseError.NonceExhausted, error.Reason);
    }

    private static async Task<(NoiseStream Sender, NoiseStream Receiver)> SecuredPairAsync()
    {
        (Stream left, Stream right) = DuplexPipe.CreateInMemory();
        return await HandshakeAsync(left, right);
    }

    private static async Task<(NoiseStream, NoiseStream)> HandshakeAsync(Stream left, Stream right)
    {
        var a = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var b = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        Task<NoiseStream> inbound = b.SecureInboundAsync(right, Timeout);
        NoiseStream outbound = await a.SecureOutboundAsync(left, b.Identity.PeerId, Timeout);
        return (outbound, await inbound);
    }

    // A secured sender whose peer end is read raw (after the handshake, driven through a relay).
    private static async Task<(NoiseStream Sender, Stream RawReceiver, NoiseStream Receiver)> SecuredPairWithRawReceiverAsync()
    {
        (NoiseStream sender, Stream rawReceiver, _, NoiseStream receiver) = await SecuredPairWithRelayAsync();
        return (sender, rawReceiver, receiver);
    }

    // sender <-> [relayLeft | test reads/writes raw] <-> receiver: the handshake is relayed, then the test takes over.
    private static async Task<(NoiseStream Sender, Stream RawFromSender, Stream RawToReceiver, NoiseStream Receiver)> SecuredPairWithRelayAsync()
    {
        (Stream senderEnd, Stream rawFromSender) = DuplexPipe.CreateInMemory();
        (Stream rawToReceiver, Stream receiverEnd) = DuplexPipe.CreateInMemory();
        var a = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        var b = new NoiseSecurity(Secp256k1IdentityKey.Generate());
        Task<NoiseStream> inbound = b.SecureInboundAsync(receiverEnd, Timeout);
        Task<NoiseStream> outbound = a.SecureOutboundAsync(senderEnd, b.Identity.PeerId, Timeout);
        await RelayFrameAsync(rawFromSender, rawToReceiver); // -> e
        await RelayFrameAsync(rawToReceiver, rawFromSender); // <- e, ee, s, es
        await RelayFrameAsync(rawFromSender, rawToReceiver); // -> s, se
        return (await outbound, rawFromSender, rawToReceiver, await inbound);
    }

    private static async Task<(Stream RawSender, NoiseStream Receiver)> RawSenderAndSecuredReceiverAsync()
    {
        (_, _, Stream rawToReceiver, NoiseStream receiver) = await SecuredPairWithRelayAsync();
        return (rawToReceiver, receiver);
    }

    private static async Task RelayFrameAsync(Stream from, Stream to)
    {
        byte[] header = new byte[2];
        await from.ReadExactlyAsync(header, Timeout);
        byte[] body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await from.ReadExactlyAsync(body, Timeout);
        await to.WriteAsync(header, Timeout);
        await to.WriteAsync(body, Timeout);
    }
}
